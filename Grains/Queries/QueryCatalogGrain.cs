namespace Efflux.Grains.Queries;

/// <summary>The persisted query names of a namespace.</summary>
[GenerateSerializer]
[Alias("efflux.QueryCatalogState")]
public sealed class QueryCatalogState
{
    /// <summary>Query names, sorted.</summary>
    [Id(0)] public List<string> Names { get; set; } = [];
}

/// <summary>Lists the live queries of one namespace.</summary>
[GrainType("efflux.queries")]
internal sealed class QueryCatalogGrain([PersistentState("queries", EffluxStorage.Name)] IPersistentState<QueryCatalogState> state) : Grain, IQueryCatalogGrain
{
    public Task<List<string>> ListAsync() => Task.FromResult(state.State.Names.ToList());

    public async Task AddAsync(string name)
    {
        var at = state.State.Names.BinarySearch(name, StringComparer.Ordinal);
        if (at < 0)
        {
            state.State.Names.Insert(~at, name);
            await state.WriteStateAsync();
        }
    }

    public async Task RemoveAsync(string name)
    {
        if (state.State.Names.Remove(name))
        {
            await state.WriteStateAsync();
        }
    }
}
