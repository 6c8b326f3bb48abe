using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Efflux.Grains;

namespace Efflux.Client;

/// <summary>A consumer group of a topic: committed offsets (durable, never backwards), lag, and reading from them.</summary>
public sealed class ConsumerGroup
{
    private readonly EffluxClient _client;
    private readonly TopicClient _topic;

    internal ConsumerGroup(EffluxClient client, TopicClient topic, string name)
    {
        _client = client;
        _topic = topic;
        Name = name;
    }

    /// <summary>The group name.</summary>
    public string Name { get; }

    private IConsumerGroupGrain Grain => _client.GroupGrain(_topic.Namespace, _topic.Name, Name);

    /// <summary>Committed offset, end and lag per partition.</summary>
    public Task<GroupInfo> DescribeAsync() => Calls.Run(Grain.DescribeAsync());

    /// <summary>Commits the next offset to read for a partition.</summary>
    /// <exception cref="EffluxException"><see cref="EffluxError.Conflict"/> when it is below the committed offset.</exception>
    public Task<long> CommitAsync(int partition, long nextOffset) => Calls.Run(Grain.CommitAsync(partition, nextOffset));

    /// <summary>Commits a processed message (its offset + 1).</summary>
    public Task<long> CommitAsync(EffluxMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return CommitAsync(message.Partition, message.Offset + 1);
    }

    /// <summary>
    /// Messages of every partition from the group's committed offsets (the oldest stored where nothing is committed),
    /// in order within each partition; with <paramref name="follow"/> it keeps waiting for new ones. Does not commit.
    /// </summary>
    public async IAsyncEnumerable<EffluxMessage> ConsumeAsync(bool follow = true, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var config = await _topic.ReadConfigAsync().ConfigureAwait(false);
        var committed = await Calls.Run(Grain.GetCommittedAsync()).ConfigureAwait(false);
        var merged = Channel.CreateBounded<EffluxMessage>(1000);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var readers = Enumerable.Range(0, config.Partitions).Select(async p =>
        {
            await foreach (var message in _topic.ReadAsync(p, committed.TryGetValue(p, out var c) ? c : -1, follow, cancellationToken: stop.Token).ConfigureAwait(false))
            {
                await merged.Writer.WriteAsync(message, stop.Token).ConfigureAwait(false);
            }
        }).ToList();
        var all = Task.WhenAll(readers).ContinueWith(t => merged.Writer.TryComplete(t.Exception?.InnerException), TaskScheduler.Default);
        try
        {
            await foreach (var message in merged.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                yield return message;
            }
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await all.ConfigureAwait(false);
        }
    }
}
