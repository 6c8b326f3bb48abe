using Orleans.Concurrency;

namespace Efflux.Grains;

/// <summary>The topics of one namespace, sorted. Key: <c>{ns}</c>.</summary>
[Alias("efflux.namespace")]
public interface INamespaceGrain : INameSetGrain
{
    /// <summary>
    /// Lists a topic that is being created with <paramref name="partitions"/> partitions, unless the namespace would
    /// then hold more topics or partitions than <c>Efflux:Limits</c> allows (<see cref="EffluxError.LimitExceeded"/>).
    /// </summary>
    Task AddTopicAsync(string topic, int partitions);

    /// <summary>
    /// Tells the watchers that the topics changed: called by a topic grain once a topic's configuration is stored (its
    /// partitions can be read) or removed.
    /// </summary>
    [OneWay]
    Task AnnounceAsync();

    /// <summary>
    /// The topics, sorted, and registers <paramref name="observer"/> to be told of changes for a while (the caller
    /// renews by calling again; a watcher not heard from for a minute is dropped).
    /// </summary>
    Task<List<string>> ListAndWatchAsync(ITopicsObserver observer);
}
