using System.Text.Json;
using Orleans.Streams;

namespace Efflux.Grains.Streams;

/// <summary>
/// The Efflux stream provider's adapter: rewindable, read-write. Events produced through
/// <c>IAsyncStream&lt;T&gt;.OnNextAsync</c> / <c>OnNextBatchAsync</c> are appended to the stream's partition (durably
/// by default); receivers read partitions from the log.
/// </summary>
internal sealed class EffluxQueueAdapter(EffluxQueueAdapterFactory factory) : IQueueAdapter
{
    private readonly HashSet<string> _watched = [];

    public string Name => factory.Name;

    public bool IsRewindable => true;

    public StreamProviderDirection Direction => StreamProviderDirection.ReadWrite;

    public IQueueAdapterReceiver CreateReceiver(QueueId queueId) => factory.CreateReceiver(queueId);

    public async Task QueueMessageBatchAsync<T>(StreamId streamId, IEnumerable<T> events, StreamSequenceToken? token, Dictionary<string, object>? requestContext)
    {
        ArgumentNullException.ThrowIfNull(events);
        if (token is not null)
        {
            throw EffluxException.Invalid("The Efflux stream provider assigns positions itself: produce without a sequence token.");
        }

        var (ns, topic, partition) = EffluxStreams.Parse(streamId);
        var config = await factory.Grains.GetGrain<ITopicGrain>(GrainKeys.Topic(ns, topic)).EnsureAsync();
        if (partition >= config.Partitions)
        {
            throw EffluxException.NoPartition(ns, topic, config.Partitions, partition);
        }

        var messages = events.Select(ToMessage).ToList();
        if (messages.Count == 0)
        {
            return;
        }

        await factory.Grains.GetGrain<IPartitionGrain>(GrainKeys.Partition(ns, topic, partition))
            .AppendAsync(messages, new ProduceOptions { Acks = factory.Options.ProduceAcks });
        if (Watch(ns))
        {
            await factory.Grains.GetGrain<IStreamNamespacesGrain>(Name).WatchAsync(ns);
        }
    }

    private bool Watch(string ns)
    {
        lock (_watched)
        {
            return _watched.Add(ns);
        }
    }

    /// <summary>A <see cref="ProduceMessage"/> as it is; anything else as a JSON payload typed by its class name.</summary>
    private static ProduceMessage ToMessage<T>(T item) => item switch
    {
        ProduceMessage message => message,
        null => throw EffluxException.Invalid("A stream event cannot be null."),
        _ => new ProduceMessage
        {
            Payload = JsonSerializer.SerializeToUtf8Bytes(item, item.GetType(), StreamJson.Options),
            ContentType = "application/json",
            DataType = item.GetType().Name,
        },
    };
}
