using System.Collections.Concurrent;

namespace Efflux.Grains;

/// <summary>
/// Routes appends that arrive at this silo straight to the partition grains. Each silo keeps the partition count of
/// the topics it has routed for (a topic's partition count never changes), so appends do not depend on the topic
/// grain's activation: partitions on live silos keep taking appends while the topic grain's silo is down.
/// </summary>
public sealed class TopicRouter(IGrainFactory grains)
{
    private readonly ConcurrentDictionary<string, Task<TopicConfig>> _configs = new(StringComparer.Ordinal);
    private readonly MessageRouter _router = new();

    /// <summary>
    /// Appends messages: each to its message group's partition (else round-robin), or all to <paramref name="partition"/>.
    /// A topic that does not exist is created with the silo's defaults when that is allowed.
    /// </summary>
    public async Task<List<ProduceResult>> AppendAsync(string ns, string topic, List<ProduceMessage> messages, ProduceOptions options, int? partition)
    {
        ArgumentNullException.ThrowIfNull(messages);
        ArgumentNullException.ThrowIfNull(options);
        for (var attempt = 0; ; attempt++)
        {
            var config = await ConfigAsync(ns, topic).ConfigureAwait(false);
            if (partition is { } fixedPartition && (fixedPartition < 0 || fixedPartition >= config.Partitions))
            {
                throw EffluxException.NoPartition(ns, topic, config.Partitions, fixedPartition);
            }

            if (options.ExpectedOffset is not null && partition is null && config.Partitions > 1)
            {
                throw EffluxException.Invalid("An expected offset needs a partition: the topic has several.");
            }

            try
            {
                return await _router.AppendAsync(messages, config.Partitions, partition, (p, batch) =>
                    grains.GetGrain<IPartitionGrain>(GrainKeys.Partition(ns, topic, p)).AppendAsync(batch, options)).ConfigureAwait(false);
            }
            catch (EffluxException missing) when (missing.Error == EffluxError.TopicNotFound && attempt == 0)
            {
                // The topic was deleted since its configuration was kept here (a partition refuses to open for a
                // missing topic, so nothing was appended): ask again, which recreates it when that is allowed.
                Forget(ns, topic);
            }
        }
    }

    /// <summary>Drops what this silo keeps of a topic (it was deleted or recreated).</summary>
    public void Forget(string ns, string topic) => _configs.TryRemove(GrainKeys.Topic(ns, topic), out _);

    private Task<TopicConfig> ConfigAsync(string ns, string topic)
    {
        var key = GrainKeys.Topic(ns, topic);
        var config = _configs.GetOrAdd(key, _ => grains.GetGrain<ITopicGrain>(key).EnsureAsync());
        if (config.IsFaulted || config.IsCanceled)
        {
            _configs.TryRemove(new KeyValuePair<string, Task<TopicConfig>>(key, config));
        }

        return config;
    }
}
