using Microsoft.Extensions.Logging;

namespace Efflux.Grains.Streams;

/// <summary>
/// The partitions a stream provider reads: every partition of every topic in its namespaces (from its options and
/// its <see cref="IStreamNamespacesGrain"/>), looked up again at most every
/// <see cref="EffluxStreamOptions.DiscoveryInterval"/> and shared by the provider's queues on one silo.
/// </summary>
internal sealed partial class StreamTopology(string provider, EffluxStreamOptions options, IGrainFactory grains, TimeProvider time, ILogger logger)
{
    private readonly Dictionary<string, int> _partitions = [];
    private Task<IReadOnlyList<StreamPartition>>? _refresh;
    private IReadOnlyList<StreamPartition> _known = [];
    private long _refreshedAt = long.MinValue;

    /// <summary>
    /// The partitions: the last successful lookup, starting a new one in the background when it is older than the
    /// discovery interval (the first call waits for the first lookup; a failed one is tried again an interval later).
    /// </summary>
    public Task<IReadOnlyList<StreamPartition>> GetAsync()
    {
        lock (_partitions)
        {
            var first = _refreshedAt == long.MinValue;
            if (_refresh is not { IsCompleted: false } && (first || time.GetElapsedTime(_refreshedAt) >= options.DiscoveryInterval))
            {
                _refreshedAt = time.GetTimestamp();
                _refresh = RefreshAsync();
            }

            return first ? _refresh! : Task.FromResult(_known);
        }
    }

    /// <summary>Looks the partitions up; on failure logs it and keeps the last lookup.</summary>
    private async Task<IReadOnlyList<StreamPartition>> RefreshAsync()
    {
        try
        {
            return await LookUpAsync();
        }
        catch (Exception ex) when (ex is EffluxException or OrleansException or TimeoutException)
        {
            LogDiscoveryFailed(logger, ex, provider);
            lock (_partitions)
            {
                return _known;
            }
        }
    }

    private async Task<IReadOnlyList<StreamPartition>> LookUpAsync()
    {
        var namespaces = new SortedSet<string>(options.Namespaces, StringComparer.Ordinal);
        namespaces.UnionWith(await grains.GetGrain<IStreamNamespacesGrain>(provider).ListAsync());
        var found = new List<StreamPartition>();
        foreach (var ns in namespaces)
        {
            foreach (var topic in await grains.GetGrain<INamespaceGrain>(ns).ListAsync())
            {
                var partitions = await PartitionsAsync(ns, topic);
                for (var p = 0; p < partitions; p++)
                {
                    found.Add(new StreamPartition(ns, topic, p));
                }
            }
        }

        lock (_partitions)
        {
            _known = found;
        }

        return found;
    }

    private async Task<int> PartitionsAsync(string ns, string topic)
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
            var partitions = (await grains.GetGrain<ITopicGrain>(key).GetConfigAsync()).Partitions;
            lock (_partitions)
            {
                _partitions[key] = partitions;
            }

            return partitions;
        }
        catch (EffluxException ex) when (ex.Error == EffluxError.TopicNotFound)
        {
            return 0;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stream provider {Provider} could not list its topics; it keeps reading the partitions it knew")]
    private static partial void LogDiscoveryFailed(ILogger logger, Exception exception, string provider);
}

/// <summary>One partition a stream provider reads.</summary>
internal sealed record StreamPartition(string Ns, string Topic, int Partition)
{
    public StreamId Stream { get; } = EffluxStreams.Of(Ns, Topic, Partition);

    public string Key { get; } = GrainKeys.Partition(Ns, Topic, Partition);
}
