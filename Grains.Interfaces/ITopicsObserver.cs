using Orleans.Concurrency;

namespace Efflux.Grains;

/// <summary>
/// Watches which topics exist (a stream provider's view of its namespaces): told when a namespace it watches gains or
/// loses a topic, or when a namespace is added to what it reads, so it looks again at once rather than at its next
/// periodic lookup.
/// </summary>
[Alias("efflux.topics-observer")]
public interface ITopicsObserver : IGrainObserver
{
    /// <summary>The topics of <paramref name="ns"/> changed.</summary>
    [OneWay]
    Task TopicsChangedAsync(string ns);
}
