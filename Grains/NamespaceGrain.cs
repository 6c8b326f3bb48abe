
namespace Efflux.Grains;

/// <summary>The persisted topic names of a namespace.</summary>
[GenerateSerializer]
[Alias("efflux.NamespaceState")]
public sealed class NamespaceState
{
    /// <summary>Topic names.</summary>
    [Id(0)] public List<string> Topics { get; set; } = [];
}

/// <summary>Lists the topics of one namespace.</summary>
[GrainType("efflux.namespace")]
internal sealed class NamespaceGrain([PersistentState("namespace", EffluxStorage.Name)] IPersistentState<NamespaceState> state) : Grain, INamespaceGrain
{
    public Task<List<string>> ListAsync() => Task.FromResult(state.State.Topics.ToList());

    public async Task AddAsync(string topic)
    {
        var at = state.State.Topics.BinarySearch(topic, StringComparer.Ordinal);
        if (at < 0)
        {
            state.State.Topics.Insert(~at, topic);
            await state.WriteStateAsync();
        }
    }

    public async Task RemoveAsync(string topic)
    {
        if (state.State.Topics.Remove(topic))
        {
            await state.WriteStateAsync();
        }
    }
}
