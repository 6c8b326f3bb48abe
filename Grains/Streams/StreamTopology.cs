using Microsoft.Extensions.Logging;

namespace Efflux.Grains.Streams;

/// <summary>
/// The partitions a stream provider reads: every partition of every topic in its namespaces (from its options and
/// its <see cref="IStreamNamespacesGrain"/>), shared by the provider's queues on one silo. It watches the namespace
/// grains it lists (<see cref="ITopicsObserver"/>), so a topic created or deleted is looked up at once; it also looks
/// again every <see cref="EffluxStreamOptions.DiscoveryInterval"/>, which renews the watches and covers a lost
/// notification.
/// </summary>
internal sealed partial class StreamTopology(string provider, EffluxStreamOptions options, IGrainFactory grains, TimeProvider time, ILogger logger) : ITopicsObserver
{
    private readonly Dictionary<string, IReadOnlyList<string>> _partitions = [];
    private Task<IReadOnlyList<StreamPartition>>? _refresh;
    private IReadOnlyList<StreamPartition> _known = [];
    private long _refreshedAt = long.MinValue;
    private bool _stale;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ITopicsObserver? _self;

    /// <summary>Completes when a lookup finds the partitions changed (a new task after that).</summary>
    public Task Changed
    {
        get
        {
            lock (_partitions)
            {
                return _changed.Task;
            }
        }
    }

    /// <summary>
    /// The partitions: the last successful lookup, starting a new one in the background when it is older than the
    /// discovery interval or a change was announced (the first call waits for the first lookup; a failed one is tried
    /// again an interval later).
    /// </summary>
    public Task<IReadOnlyList<StreamPartition>> GetAsync()
    {
        lock (_partitions)
        {
            var first = _refreshedAt == long.MinValue;
            if (_refresh is not { IsCompleted: false } && (first || _stale || time.GetElapsedTime(_refreshedAt) >= options.DiscoveryInterval))
            {
                _stale = false;
                _refreshedAt = time.GetTimestamp();
                _refresh = RefreshAsync();
            }

            return first ? _refresh! : Task.FromResult(_known);
        }
    }

    /// <summary>A watched namespace gained or lost a topic, or the provider gained a namespace: look up again now.</summary>
    public Task TopicsChangedAsync(string ns)
    {
        lock (_partitions)
        {
            _stale = true;
        }

        _ = GetAsync();
        return Task.CompletedTask;
    }

    /// <summary>
    /// Looks the partitions up, again while changes were announced during the lookup, and wakes the queues when they
    /// changed; on failure logs it and keeps the last lookup.
    /// </summary>
    private async Task<IReadOnlyList<StreamPartition>> RefreshAsync()
    {
        while (true)
        {
            IReadOnlyList<StreamPartition> found;
            try
            {
                found = await LookUpAsync();
            }
            catch (Exception ex) when (ex is EffluxException or OrleansException or TimeoutException)
            {
                LogDiscoveryFailed(logger, ex, provider);
                lock (_partitions)
                {
                    return _known;
                }
            }

            lock (_partitions)
            {
                if (!found.SequenceEqual(_known))
                {
                    _known = found;
                    _changed.TrySetResult();
                    _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
                }

                if (!_stale)
                {
                    return found;
                }

                _stale = false;
            }
        }
    }

    private async Task<IReadOnlyList<StreamPartition>> LookUpAsync()
    {
        // Lookups run in a pulling agent's context, where Orleans refuses to make an object reference: make it outside.
        _self ??= await Task.Run(() => grains.CreateObjectReference<ITopicsObserver>(this));
        var namespaces = new SortedSet<string>(options.Namespaces, StringComparer.Ordinal);
        namespaces.UnionWith(await grains.GetGrain<IStreamNamespacesGrain>(provider).ListAndWatchAsync(_self));
        var found = new List<StreamPartition>();
        var listed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var ns in namespaces)
        {
            foreach (var topic in await grains.GetGrain<INamespaceGrain>(ns).ListAndWatchAsync(_self))
            {
                listed.Add(GrainKeys.Topic(ns, topic));
                var homes = await HomesAsync(ns, topic);
                for (var p = 0; p < homes.Count; p++)
                {
                    found.Add(new StreamPartition(ns, topic, p, homes[p]));
                }
            }
        }

        lock (_partitions)
        {
            // A deleted topic is looked up afresh if it comes back (with other partitions, on other silos).
            foreach (var gone in _partitions.Keys.Where(k => !listed.Contains(k)).ToList())
            {
                _partitions.Remove(gone);
            }
        }

        return found;
    }

    /// <summary>The home silo of each partition of a topic (none for a missing topic), remembered once known.</summary>
    private async Task<IReadOnlyList<string>> HomesAsync(string ns, string topic)
    {
        var key = GrainKeys.Topic(ns, topic);
        lock (_partitions)
        {
            if (_partitions.TryGetValue(key, out var known))
            {
                return known;
            }
        }

        try
        {
            var homes = (await grains.GetGrain<ITopicGrain>(key).DescribeCreatedAsync()).Partitions.Select(p => p.Silo).ToList();
            lock (_partitions)
            {
                _partitions[key] = homes;
            }

            return homes;
        }
        catch (EffluxException ex) when (ex.Error == EffluxError.TopicNotFound)
        {
            return [];
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stream provider {Provider} could not list its topics; it keeps reading the partitions it knew")]
    private static partial void LogDiscoveryFailed(ILogger logger, Exception exception, string provider);
}

/// <summary>One partition a stream provider reads, with the stable name of its home silo.</summary>
internal sealed record StreamPartition(string Ns, string Topic, int Partition, string Home)
{
    public StreamId Stream { get; } = EffluxStreams.Of(Ns, Topic, Partition);

    public string Key { get; } = GrainKeys.Partition(Ns, Topic, Partition);
}
