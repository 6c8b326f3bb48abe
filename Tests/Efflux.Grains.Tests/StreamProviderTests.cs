using System.Diagnostics;
using System.Globalization;
using System.Text;
using Efflux.Grains.Streams;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Streams;

namespace Efflux.Grains.Tests;

/// <summary>
/// The Efflux stream provider on a real two-silo Orleans cluster, with windows small enough (64 records) that
/// subscribers fall behind them and read from the log.
/// </summary>
public sealed class StreamProviderTests : IAsyncLifetime
{
    private readonly TwoSiloCluster _cluster = new(silo => silo.AddEffluxStreams("efflux", o =>
    {
        o.Namespaces.Add("s");
        o.WindowRecords = 64;
        o.DeliveryBatch = 16;
        o.ReadBatch = 50;
    }));

    public Task InitializeAsync() => _cluster.InitializeAsync();

    public Task DisposeAsync() => _cluster.DisposeAsync();

    private IClusterClient Client => _cluster.Client;

    private async Task<IPartitionGrain> TopicAsync(string topic, int partitions)
    {
        await Client.GetGrain<ITopicGrain>(GrainKeys.Topic("s", topic)).CreateOrUpdateAsync(new TopicConfig { Partitions = partitions });
        return Client.GetGrain<IPartitionGrain>(GrainKeys.Partition("s", topic, partitions - 1));
    }

    private static async Task AppendAsync(IPartitionGrain partition, int from, int count, DateTimeOffset? firstTime = null)
    {
        for (var at = from; at < from + count; at += 100)
        {
            var batch = Enumerable.Range(at, Math.Min(100, from + count - at)).Select(i => new ProduceMessage
            {
                Payload = Encoding.UTF8.GetBytes("m" + i.ToString(CultureInfo.InvariantCulture)),
                Timestamp = firstTime?.AddSeconds(i),
            }).ToList();
            await partition.AppendAsync(batch, new ProduceOptions());
        }
    }

    private static async Task<List<Seen>> SeenAsync(IRecorderGrain recorder, int count)
        => await Eventually.Succeeds(async () =>
        {
            var seen = await recorder.SeenAsync();
            Assert.True(seen.Count >= count, $"{seen.Count} of {count} records so far");
            return seen;
        }, TimeSpan.FromSeconds(30));

    private static void AssertRun(List<Seen> seen, long from, long to, int partition)
    {
        Assert.Equal(Enumerable.Range((int)from, (int)(to - from)).Select(i => (long)i), seen.Select(s => s.Offset));
        Assert.All(seen, s =>
        {
            Assert.Equal(s.Offset, s.TokenOffset);
            Assert.Equal(partition, s.TokenPartition);
            Assert.Equal("m" + s.Offset.ToString(CultureInfo.InvariantCulture), s.Text);
        });
    }

    [Fact]
    public async Task ASubscriberFromTheStart_GetsEveryRecordOnce_InOffsetOrder_TokenedByPartitionAndOffset()
    {
        var partition = await TopicAsync("a", 2);
        await AppendAsync(partition, 0, 300);
        var recorder = Client.GetGrain<IRecorderGrain>("a-start");
        await recorder.SubscribeAsync("s", "a", 1, 0, delayMs: 0);
        await AppendAsync(partition, 300, 200);

        await SeenAsync(recorder, 500);

        // One more record after the 500: when it has arrived, a record delivered twice would be in the run before it.
        await AppendAsync(partition, 500, 1);
        AssertRun(await SeenAsync(recorder, 501), 0, 501, partition: 1);
    }

    [Fact]
    public async Task ANamespaceWatchedLater_IsRead_EveryPartitionFromTheStart()
    {
        for (var p = 0; p < 3; p++)
        {
            await Client.GetGrain<ITopicGrain>(GrainKeys.Topic("later", "t")).CreateOrUpdateAsync(new TopicConfig { Partitions = 3 });
            await AppendAsync(Client.GetGrain<IPartitionGrain>(GrainKeys.Partition("later", "t", p)), 0, 200);
        }

        await Client.GetGrain<IStreamNamespacesGrain>("efflux").WatchAsync("later");
        var recorders = Enumerable.Range(0, 3).Select(p => Client.GetGrain<IRecorderGrain>("later-" + p.ToString(CultureInfo.InvariantCulture))).ToList();
        for (var p = 0; p < 3; p++)
        {
            await recorders[p].SubscribeAsync("later", "t", p, 0, 0);
        }

        for (var p = 0; p < 3; p++)
        {
            AssertRun(await SeenAsync(recorders[p], 200), 0, 200, p);
        }
    }

    [Fact]
    public async Task Subscriptions_StartAtAnOffset_AtATimesOffset_OrAtTheEnd()
    {
        var partition = await TopicAsync("b", 1);
        var t0 = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        await AppendAsync(partition, 0, 100, t0);
        var atTime = await partition.OffsetForTimeAsync(t0.AddSeconds(70));
        Assert.Equal(70, atTime);

        var fromOffset = Client.GetGrain<IRecorderGrain>("b-offset");
        var fromTime = Client.GetGrain<IRecorderGrain>("b-time");
        var fromEnd = Client.GetGrain<IRecorderGrain>("b-end");
        await fromOffset.SubscribeAsync("s", "b", 0, 40, 0);
        await fromTime.SubscribeAsync("s", "b", 0, atTime, 0);
        await SeenAsync(fromOffset, 60);
        // Subscribing returns once the stream's pulling agent (already this partition's producer) has the subscriber, at
        // the position it has reached: the end.
        await fromEnd.SubscribeAsync("s", "b", 0, null, 0);
        await AppendAsync(partition, 100, 10, t0.AddSeconds(100));

        AssertRun(await SeenAsync(fromOffset, 70), 40, 110, 0);
        AssertRun(await SeenAsync(fromTime, 40), 70, 110, 0);
        AssertRun(await SeenAsync(fromEnd, 10), 100, 110, 0);
    }

    [Fact]
    public async Task ASlowSubscriber_FallsBehindOnTheLog_WhileAFastOneKeepsUp_AndALateOneRewinds_NoneMissesARecord()
    {
        var partition = await TopicAsync("c", 1);
        var slow = Client.GetGrain<IRecorderGrain>("c-slow");
        var fast = Client.GetGrain<IRecorderGrain>("c-fast");
        await slow.SubscribeAsync("s", "c", 0, 0, delayMs: 2);
        await fast.SubscribeAsync("s", "c", 0, 0, delayMs: 0);
        await AppendAsync(partition, 0, 1500);

        AssertRun(await SeenAsync(fast, 1500), 0, 1500, 0);
        AssertRun(await SeenAsync(slow, 1500), 0, 1500, 0);

        var late = Client.GetGrain<IRecorderGrain>("c-late");
        await late.SubscribeAsync("s", "c", 0, 0, 0);
        AssertRun(await SeenAsync(late, 1500), 0, 1500, 0);
    }

    [Fact]
    public async Task EventsProducedThroughIAsyncStream_AreAppendedDurably_AsJson_AndReachImplicitSubscribers()
    {
        await Client.GetGrain<ITopicGrain>(GrainKeys.Topic("s", "orders")).CreateOrUpdateAsync(new TopicConfig { Partitions = 2 });
        var orders = Enumerable.Range(1, 40).Select(i => new Order("item" + i.ToString(CultureInfo.InvariantCulture), i)).ToList();
        await Client.GetGrain<IOrderProducerGrain>("p").ProduceAsync("s", "orders", 1, orders);

        var stored = await Client.GetGrain<IPartitionGrain>(GrainKeys.Partition("s", "orders", 1)).FetchBatchAsync(0, 100, 1 << 20, TimeSpan.Zero, CancellationToken.None);
        Assert.Equal(40, stored.Count);
        var first = stored.Messages().First();
        Assert.Equal("Order", first.DataType);
        Assert.Equal("application/json", first.ContentType);
        Assert.Equal("""{"item":"item1","quantity":1}""", Encoding.UTF8.GetString(first.Payload));

        var counter = Client.GetGrain<IOrderCounterGrain>("1");
        var received = await Eventually.Succeeds(async () =>
        {
            var got = await counter.OrdersAsync();
            Assert.Equal(40, got.Count);
            return got;
        }, TimeSpan.FromSeconds(30));
        Assert.Equal(orders, received);
        Assert.Empty(await Client.GetGrain<IOrderCounterGrain>("0").OrdersAsync());

        // The queue that reads the partition saves the position every subscriber has passed (where it resumes after
        // moving to another silo): one of the provider's eight queues holds 40 for s/orders/1.
        await Eventually.Succeeds(async () =>
        {
            var saved = await Task.WhenAll(Enumerable.Range(0, 8).Select(q => Client.GetGrain<IStreamCheckpointGrain>($"efflux/efflux-{q}").GetAsync()));
            Assert.Equal(40, Assert.Single(saved.SelectMany(s => s), p => p.Key == "s/orders/1").Value);
            return true;
        });
    }

    [Fact]
    public async Task ProducingToAPartitionTheTopicDoesNotHave_FailsTyped()
    {
        await Client.GetGrain<ITopicGrain>(GrainKeys.Topic("s", "few")).CreateOrUpdateAsync(new TopicConfig { Partitions = 1 });
        var error = await Assert.ThrowsAsync<EffluxException>(() => Client.GetGrain<IOrderProducerGrain>("p").ProduceAsync("s", "few", 3, [new Order("x", 1)]));
        Assert.Equal(EffluxError.NotFound, error.Error);
    }

    [Fact]
    public async Task AQueueWithNothingToRead_WaitsForNewsBeforeAnsweringEmpty()
    {
        // A receiver of the silo's own provider, for one of its queues, while the watched namespace has no topics.
        var factory = _cluster.Cluster.Silos[0].ServiceProvider.GetRequiredKeyedService<IQueueAdapterFactory>("efflux");
        var adapter = await factory.CreateAdapter(CancellationToken.None);
        var receiver = adapter.CreateReceiver(factory.GetStreamQueueMapper().GetAllQueues().First());
        await receiver.Initialize(TimeSpan.FromSeconds(5));
        await receiver.GetQueueMessagesAsync(100, CancellationToken.None);

        // The pulling agent asks again as soon as a call returns: answered at once, an idle queue was polled without end.
        var clock = Stopwatch.StartNew();
        Assert.Empty(await receiver.GetQueueMessagesAsync(100, CancellationToken.None));
        Assert.Empty(await receiver.GetQueueMessagesAsync(100, CancellationToken.None));
        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(400), TimeSpan.FromSeconds(5));
        await receiver.Shutdown(TimeSpan.FromSeconds(5));
    }
}
