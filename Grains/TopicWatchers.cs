using Microsoft.Extensions.Logging;
using Orleans.Utilities;

namespace Efflux.Grains;

/// <summary>
/// The <see cref="ITopicsObserver"/>s registered with one grain (in memory: after a deactivation they register again on
/// their next periodic lookup). A watcher renews by registering again and is dropped after a minute without.
/// </summary>
internal sealed class TopicWatchers(ILogger logger)
{
    private readonly ObserverManager<ITopicsObserver> _observers = new(TimeSpan.FromMinutes(1), logger);

    public void Watch(ITopicsObserver observer) => _observers.Subscribe(observer, observer);

    /// <summary>Tells every watcher (one-way calls) that the topics of <paramref name="ns"/> changed.</summary>
    public void Changed(string ns) => _observers.Notify(o => _ = o.TopicsChangedAsync(ns));
}
