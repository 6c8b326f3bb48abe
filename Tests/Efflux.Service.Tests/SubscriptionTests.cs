using System.Collections.Concurrent;

namespace Efflux.Service.Tests;

/// <summary>Push subscriptions (the stream provider): every durable batch, in order, with a slow subscriber too.</summary>
public sealed class SubscriptionTests() : SiloWithClient
{
    private static ProduceMessage Numbered(int i) => new() { Payload = BitConverter.GetBytes(i) };

    [Fact]
    public async Task Subscriber_GetsWhatWasThere_ThenEveryNewMessage_InOrder_UntilDisposed()
    {
        var topic = Client.Topic("push", "basic");
        await topic.AppendBatchAsync([.. Enumerable.Range(0, 10).Select(Numbered)]);
        var seen = new ConcurrentQueue<int>();
        var subscription = await topic.SubscribeAsync(0, 0, (m, _) =>
        {
            seen.Enqueue(BitConverter.ToInt32(m.Payload));
            return Task.CompletedTask;
        });
        for (var i = 10; i < 60; i++)
        {
            await topic.AppendAsync(Numbered(i));
        }

        await Eventually.WaitUntil(() => seen.Count == 60);
        Assert.Equal(Enumerable.Range(0, 60), seen);
        Assert.Equal(60, subscription.NextOffset);

        // Once disposed, its pump no longer waits at the end of the partition: a record appended then reaches nobody.
        await subscription.DisposeAsync();
        await Eventually.Succeeds(async () => Assert.Equal(0, (await topic.DescribeAsync()).Partitions[0].Waiting));
        await topic.AppendAsync(Numbered(60));
        Assert.Equal(0, (await topic.DescribeAsync()).Partitions[0].Waiting);
        Assert.Equal(60, seen.Count);
    }

    [Fact]
    public async Task ASlowSubscriber_FallsBehindOnTheLog_AndMissesNothing()
    {
        await Client.CreateTopicAsync("push", "slow");
        var topic = Client.Topic("push", "slow");
        var seen = new List<int>();
        await using var subscription = await topic.SubscribeAsync(0, -1, async (m, ct) =>
        {
            seen.Add(BitConverter.ToInt32(m.Payload));
            if (seen.Count % 100 == 0)
            {
                await Task.Delay(20, ct);
            }
        });
        for (var round = 0; round < 20; round++)
        {
            await topic.AppendBatchAsync([.. Enumerable.Range(round * 250, 250).Select(Numbered)]);
        }

        await Eventually.WaitUntil(() => Volatile.Read(ref seen).Count == 5000);
        Assert.Equal(Enumerable.Range(0, 5000), seen);
    }

    [Fact]
    public async Task WhenThePartitionCloses_TheSubscriptionResumesFromItsOffset()
    {
        await Client.CreateTopicAsync("push", "reload", new TopicConfig { Partitions = 1 });
        var topic = Client.Topic("push", "reload");
        var seen = new ConcurrentQueue<int>();
        await using var subscription = await topic.SubscribeAsync(0, 0, (m, _) =>
        {
            seen.Enqueue(BitConverter.ToInt32(m.Payload));
            return Task.CompletedTask;
        });
        await topic.AppendBatchAsync([.. Enumerable.Range(0, 5).Select(Numbered)]);
        await Eventually.WaitUntil(() => seen.Count == 5);

        // A configuration change closes and reopens the partition: its pumps end, and the subscriber comes back.
        await Client.CreateTopicAsync("push", "reload", new TopicConfig { Partitions = 1, RetentionBytes = 1L << 30 });
        // The subscriber resumes at its next offset, so a record appended while it is away still reaches it.
        await topic.AppendAsync(Numbered(5));
        await Eventually.WaitUntil(() => seen.Count > 5);
        Assert.Equal(Enumerable.Range(0, seen.Count), seen);
    }

    [Fact]
    public async Task SubscribingOutsideThePartition_IsAnOffsetError()
    {
        var topic = Client.Topic("push", "range");
        await topic.AppendAsync(Numbered(0));
        var error = await Assert.ThrowsAsync<EffluxException>(() => topic.SubscribeAsync(0, 5, (_, _) => Task.CompletedTask));
        Assert.Equal(EffluxError.OffsetOutOfRange, error.Error);
    }
}
