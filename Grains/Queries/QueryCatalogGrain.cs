namespace Efflux.Grains.Queries;

/// <summary>The persisted query names of a namespace.</summary>
[GenerateSerializer]
[Alias("efflux.QueryCatalogState")]
public sealed class QueryCatalogState : INameSetState
{
    /// <summary>Query names, sorted.</summary>
    [Id(0)] public List<string> Names { get; set; } = [];
}

/// <summary>Lists the live queries of one namespace.</summary>
[GrainType("efflux.queries")]
internal sealed class QueryCatalogGrain([PersistentState("queries", EffluxStorage.Name)] IPersistentState<QueryCatalogState> state)
    : NameSetGrain<QueryCatalogState>(state), IQueryCatalogGrain;
