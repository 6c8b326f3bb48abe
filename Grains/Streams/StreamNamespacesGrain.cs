using Microsoft.Extensions.Logging;

namespace Efflux.Grains.Streams;

/// <summary>The persisted namespaces of a stream provider.</summary>
[GenerateSerializer]
[Alias("efflux.StreamNamespacesState")]
public sealed class StreamNamespacesState
{
    /// <summary>Namespace names, sorted.</summary>
    [Id(0)] public List<string> Namespaces { get; set; } = [];
}

/// <summary>Keeps the namespaces a stream provider reads.</summary>
[GrainType("efflux.stream-namespaces")]
internal sealed class StreamNamespacesGrain([PersistentState("namespaces", EffluxStorage.Name)] IPersistentState<StreamNamespacesState> state, ILogger<StreamNamespacesGrain> logger)
    : Grain, IStreamNamespacesGrain
{
    private readonly TopicWatchers _watchers = new(logger);

    public async Task WatchAsync(string ns)
    {
        var at = state.State.Namespaces.BinarySearch(ns, StringComparer.Ordinal);
        if (at < 0)
        {
            state.State.Namespaces.Insert(~at, ns);
            await state.WriteStateAsync();
            _watchers.Changed(ns);
        }
    }

    public Task<List<string>> ListAsync() => Task.FromResult(state.State.Namespaces.ToList());

    public Task<List<string>> ListAndWatchAsync(ITopicsObserver observer)
    {
        _watchers.Watch(observer);
        return ListAsync();
    }
}
