using System.Diagnostics;
using Efflux.Client;
using Efflux.Grains;

namespace Efflux.Service.Tests;

/// <summary>The client SDK over the real gateway of an in-process silo.</summary>
public sealed class SdkTests() : SiloWithClient("--Efflux:MaxMessageBytes=1024", "--Efflux:ProducerOrderWait=00:00:02")
{
    private static ProduceMessage Text(string text, string? id = null, string? group = null) => new()
    {
        Payload = System.Text.Encoding.UTF8.GetBytes(text),
        ContentType = "text/plain",
        Id = id,
        MessageGroup = group,
    };

    private static string Text(EffluxMessage m) => System.Text.Encoding.UTF8.GetString(m.Payload);

    [Fact]
    public async Task CreateTopic_IsTrueOnlyTheFirstTime_AndTheTopicIsListed()
    {
        Assert.True(await Client.CreateTopicAsync("sdk", "t", new TopicConfig { Partitions = 4 }));
        Assert.False(await Client.CreateTopicAsync("sdk", "t", new TopicConfig { Partitions = 4 }));
        Assert.Contains("t", await Client.ListTopicsAsync("sdk"));
    }

    [Fact]
    public async Task MessagesOfOneGroup_LandInTheGroupsPartition_AtConsecutiveOffsets()
    {
        await Client.CreateTopicAsync("sdk", "t", new TopicConfig { Partitions = 4 });
        var results = await Client.Topic("sdk", "t").AppendBatchAsync([.. Enumerable.Range(0, 20).Select(i => Text("m" + i, group: "customer-1"))]);
        Assert.Equal([GrainKeys.PartitionOf("customer-1", 4)], results.Select(r => r.Partition).Distinct());
        Assert.Equal(Enumerable.Range(0, 20).Select(i => (long)i), results.Select(r => r.Offset));
    }

    [Fact]
    public async Task MessagesWithoutAGroup_GoRoundRobinOverThePartitions()
    {
        await Client.CreateTopicAsync("sdk", "t", new TopicConfig { Partitions = 4 });
        var spread = await Client.Topic("sdk", "t").AppendBatchAsync([.. Enumerable.Range(0, 8).Select(i => Text("r" + i))]);
        Assert.Equal(4, spread.Select(r => r.Partition).Distinct().Count());
        Assert.All(spread.GroupBy(r => r.Partition), g => Assert.Equal(2, g.Count()));
    }

    [Fact]
    public async Task Reads_ReturnWhatWasAppended_AsARange_ByOffset_AndById()
    {
        var topic = Client.Topic("sdk", "t");
        var results = await topic.AppendBatchAsync([.. Enumerable.Range(0, 20).Select(i => Text("m" + i, group: "customer-1"))]);
        var partition = results[0].Partition;

        var read = await topic.ReadAsync(partition).ToListAsync();
        Assert.Equal(Enumerable.Range(0, 20).Select(i => "m" + i), read.Select(Text));
        Assert.Equal(results[5].Fingerprint, read[5].Fingerprint.ToArray());
        Assert.Equal("m3", Text((await topic.FetchAsync(partition, 3))!));
        Assert.Equal(results[7].Id, (await topic.FetchByIdAsync(results[7].Id))!.Id);
        Assert.Null(await topic.FetchAsync(partition, 999));
    }

    [Fact]
    public async Task Describe_CountsEveryPartition_Verify_IsOk_AndDelete_RemovesTheTopic()
    {
        await Client.CreateTopicAsync("sdk", "t", new TopicConfig { Partitions = 4 });
        var topic = Client.Topic("sdk", "t");
        await topic.AppendBatchAsync([.. Enumerable.Range(0, 28).Select(i => Text("d" + i))]);

        var info = await Client.DescribeTopicAsync("sdk", "t");
        Assert.Equal(28, info.Partitions.Sum(p => p.NextOffset));
        Assert.All(info.Partitions, p => Assert.Equal(7, p.NextOffset));
        Assert.True((await topic.VerifyAsync(0)).Ok);
        await Client.DeleteTopicAsync("sdk", "t");
        Assert.DoesNotContain("t", await Client.ListTopicsAsync("sdk"));
        Assert.Equal(EffluxError.TopicNotFound, (await Assert.ThrowsAsync<EffluxException>(() => Client.DescribeTopicAsync("sdk", "t"))).Error);
    }

    [Fact]
    public async Task Errors_AreTypedEffluxExceptions()
    {
        var missing = await Assert.ThrowsAsync<EffluxException>(() => Client.DescribeTopicAsync("sdk", "missing"));
        Assert.Equal(EffluxError.TopicNotFound, missing.Error);
        Assert.DoesNotContain("efflux:", missing.Message, StringComparison.Ordinal);

        var badName = await Assert.ThrowsAsync<EffluxException>(() => Client.CreateTopicAsync("sdk", "no/slashes"));
        Assert.Equal(EffluxError.InvalidRequest, badName.Error);

        var topic = Client.Topic("sdk", "errors");
        await topic.AppendAsync(Text("first"));
        var mismatch = await Assert.ThrowsAsync<EffluxException>(() => topic.AppendAsync(Text("x"), new ProduceOptions { ExpectedOffset = 0 }));
        Assert.Equal(EffluxError.OffsetMismatch, mismatch.Error);
        var tooBig = await Assert.ThrowsAsync<EffluxException>(() => topic.AppendAsync(new ProduceMessage { Payload = new byte[2048] }));
        Assert.Equal(EffluxError.TooLarge, tooBig.Error);
        var range = await Assert.ThrowsAsync<EffluxException>(async () => await topic.ReadAsync(0, fromOffset: 50).ToListAsync());
        Assert.Equal(EffluxError.OffsetOutOfRange, range.Error);
        var noPartition = await Assert.ThrowsAsync<EffluxException>(() => topic.AppendAsync(Text("x"), partition: 3));
        Assert.Equal(EffluxError.NotFound, noPartition.Error);
        Assert.Equal(1, (await topic.DescribeAsync()).Partitions[0].NextOffset);
    }

    [Fact]
    public async Task LargeMessagesAndBatches_CrossTheGatewayBothWays()
    {
        await Client.CreateTopicAsync("sdk", "large", new TopicConfig { Partitions = 1, MaxMessageBytes = 8 << 20 });
        var topic = Client.Topic("sdk", "large");
        var big = new byte[3 << 20];
        Random.Shared.NextBytes(big);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var result = await topic.AppendAsync(new ProduceMessage { Payload = big }).WaitAsync(timeout.Token);
        await topic.AppendBatchAsync([.. Enumerable.Range(0, 4).Select(_ => new ProduceMessage { Payload = big })]).WaitAsync(timeout.Token);
        var read = await topic.ReadAsync(0, verifyChain: true).ToListAsync(timeout.Token);
        Assert.Equal(5, read.Count);
        Assert.All(read, m => Assert.Equal(big, m.Payload));
        Assert.Equal(result.Fingerprint, read[0].Fingerprint.ToArray());
    }

    [Fact]
    public async Task ReadAhead_WhenRecordsGrowMidway_SkipsAndRepeatsNothing()
    {
        // Fetches ahead ask for as many records as the last full batch held; where records grow, those guesses are cut
        // short by bytes and must be fetched again from the right offset.
        await Client.CreateTopicAsync("sdk", "grow", new TopicConfig { Partitions = 1, MaxMessageBytes = 64 << 10 });
        var topic = Client.Topic("sdk", "grow");
        var sizes = Enumerable.Range(0, 20_000).Select(i => i < 12_000 ? 16 : i < 14_000 ? 6000 : 40).ToList();
        foreach (var chunk in sizes.Select((size, i) => (size, i)).Chunk(1000))
        {
            await topic.AppendBatchAsync([.. chunk.Select(c => new ProduceMessage { Payload = Payload(c.i, c.size) })]);
        }

        var expected = 0;
        await foreach (var m in topic.ReadAsync(0, verifyChain: true))
        {
            Assert.Equal(expected, m.Offset);
            Assert.Equal(Payload(expected, sizes[expected]), m.Payload);
            expected++;
        }

        Assert.Equal(sizes.Count, expected);

        static byte[] Payload(int i, int size)
        {
            var bytes = new byte[size];
            BitConverter.TryWriteBytes(bytes, i);
            return bytes;
        }
    }

    [Fact]
    public async Task BufferedProducer_AcknowledgesEveryMessage_InOrder()
    {
        var topic = Client.Topic("sdk", "producer");
        var producer = topic.CreateProducer(new ProducerOptions { Linger = TimeSpan.FromMilliseconds(5), MaxBatch = 64 });
        var acks = Enumerable.Range(0, 1000).Select(i => producer.SendAsync(Text(i.ToString(System.Globalization.CultureInfo.InvariantCulture), id: "p-" + i))).ToList();
        await producer.DisposeAsync();
        var results = await Task.WhenAll(acks);
        Assert.Equal(Enumerable.Range(0, 1000).Select(i => "p-" + i), results.Select(r => r.Id));
        Assert.Equal(1000, results.Select(r => r.Offset).Distinct().Count());
        Assert.All(results, r => Assert.Equal(32, r.Fingerprint.Length));

        var read = await topic.ReadAsync(0, verifyChain: true).ToListAsync();
        Assert.Equal(1000, read.Count);
        Assert.Equal(results.Select(r => r.Id), read.Select(m => m.Id));
        var failed = await Assert.ThrowsAsync<ObjectDisposedException>(() => producer.SendAsync(Text("late")));
        Assert.NotNull(failed);
    }

    [Fact]
    public async Task BufferedProducer_WithAFullQueue_HoldsSendsBack_AndDisposeSendsThemAll_InOrder()
    {
        // Room for 5 queued messages and one batch of 5 in flight: most of the 300 sends wait for room, and the
        // producer is disposed while they wait.
        var topic = Client.Topic("sdk", "backpressure");
        var producer = topic.CreateProducer(new ProducerOptions { MaxQueued = 5, MaxBatch = 5, MaxInFlight = 1, Acks = Acks.Leader });
        var acks = Enumerable.Range(0, 300).Select(i => producer.SendAsync(Text("b" + i))).ToList();
        Assert.Contains(acks, a => !a.IsCompleted);
        await producer.DisposeAsync();
        var results = await Task.WhenAll(acks);
        Assert.Equal(Enumerable.Range(0, 300).Select(i => (long)i), results.Select(r => r.Offset));
        Assert.Equal(Enumerable.Range(0, 300).Select(i => "b" + i), await topic.ReadAsync(0).Select(Text).ToListAsync());
    }

    [Fact]
    public async Task BufferedProducer_SendsCancelledWhileWaitingForRoom_AreEitherCancelledAndNeverStored_OrAcknowledgedAndStored()
    {
        // 400 sends against room for 5: most wait. A third of them carry a token cancelled while they wait (the first
        // few were admitted already); whichever way each went, the topic holds exactly the acknowledged sends, in order.
        var topic = Client.Topic("sdk", "backpressure-cancel");
        var producer = topic.CreateProducer(new ProducerOptions { MaxQueued = 5, MaxBatch = 5, MaxInFlight = 1, Acks = Acks.Leader });
        using var cancel = new CancellationTokenSource();
        var acks = Enumerable.Range(0, 400).Select(i => producer.SendAsync(Text("c" + i), i % 3 == 1 ? cancel.Token : default)).ToList();
        await cancel.CancelAsync();
        await producer.DisposeAsync();

        var stored = await topic.ReadAsync(0).Select(Text).ToListAsync();
        var acknowledged = acks.Select((a, i) => (a, i)).Where(x => x.a.IsCompletedSuccessfully).Select(x => "c" + x.i).ToList();
        Assert.Equal(acknowledged, stored);
        Assert.All(acks.Where((_, i) => i % 3 != 1), a => Assert.True(a.IsCompletedSuccessfully));
        Assert.All(acks.Where(a => !a.IsCompletedSuccessfully), a => Assert.True(a.IsCanceled));
        Assert.Contains(acks, a => a.IsCanceled);
    }

    [Fact]
    public async Task BufferedProducer_RacingSendersAgainstATinyQueue_NeverLeaveASendWaitingWithTheQueueEmpty()
    {
        // Four threads send against room for 1 while the pump takes batches of 3: a send that finds the queue full
        // races the pump making room. Each round's disposal (which waits for every waiting send) must return, and
        // every send be acknowledged.
        var topic = Client.Topic("sdk", "backpressure-race");
        for (var round = 0; round < 20; round++)
        {
            var producer = topic.CreateProducer(new ProducerOptions { MaxQueued = 1, MaxBatch = 3, MaxInFlight = 2, Linger = TimeSpan.Zero, Acks = Acks.Leader });
            var sends = await Task.WhenAll(Enumerable.Range(0, 4).Select(t => Task.Run(async () =>
            {
                var mine = new List<Task<ProduceResult>>();
                for (var i = 0; i < 60; i++)
                {
                    mine.Add(producer.SendAsync(Text($"r{round}-t{t}-{i}")));
                    if (i % 7 == 0)
                    {
                        await Task.Yield();
                    }
                }

                return mine;
            })));
            await producer.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));
            var results = await Task.WhenAll(sends.SelectMany(s => s));
            Assert.Equal(240, results.Select(r => r.Offset).Distinct().Count());
        }
    }

    [Fact]
    public async Task BufferedProducer_KeptAcrossADelete_RecreatesTheTopic_AndAppendsEveryBatchInTheOrderSent()
    {
        // Small batches, several in flight, all sent with the configuration read before the delete: each is refused
        // (the topic is missing), and the producer sends them again, in order, once the topic is read (recreated) again.
        var topic = Client.Topic("sdk", "producer-recreated");
        var producer = topic.CreateProducer(new ProducerOptions { Linger = TimeSpan.Zero, MaxBatch = 5, MaxInFlight = 4, Acks = Acks.Leader });
        await producer.SendAsync(Text("before"));
        await Client.DeleteTopicAsync("sdk", "producer-recreated");

        var acks = Enumerable.Range(0, 200).Select(i => producer.SendAsync(Text("after" + i))).ToList();
        await producer.DisposeAsync();
        Assert.All(acks, a => Assert.True(a.IsCompleted, "disposal returned before a resent batch was answered"));
        var results = await Task.WhenAll(acks);

        Assert.Equal(Enumerable.Range(0, 200).Select(i => (long)i), results.Select(r => r.Offset));
        Assert.Equal(Enumerable.Range(0, 200).Select(i => "after" + i), await topic.ReadAsync(0).Select(Text).ToListAsync());
    }

    [Fact]
    public async Task BufferedProducer_WithBatchesInFlight_AppendsInTheOrderSent()
    {
        // Batches of one message with eight in flight: Orleans hands the calls to the partition in another order (a
        // burst read from the connection is dispatched partly newest-first), so only their numbers keep them in order.
        for (var round = 0; round < 30; round++)
        {
            var name = "ordered-" + round.ToString(System.Globalization.CultureInfo.InvariantCulture);
            await Client.CreateTopicAsync("sdk", name, new TopicConfig { Partitions = 2 });
            var topic = Client.Topic("sdk", name);
            var producer = topic.CreateProducer(new ProducerOptions { Linger = TimeSpan.Zero, MaxBatch = 1, MaxInFlight = 8, Acks = Acks.Leader });
            var acks = Enumerable.Range(0, 24).Select(i => producer.SendAsync(Text("m" + i, group: "g" + (i % 2)))).ToList();
            await producer.DisposeAsync();
            var results = await Task.WhenAll(acks);
            foreach (var partition in results.GroupBy(r => r.Partition))
            {
                var sent = partition.Select(r => r.Offset).ToList();
                Assert.Equal(sent.Order(), sent);
                var read = await topic.ReadAsync(partition.Key).Select(Text).ToListAsync();
                Assert.Equal(results.Select((r, i) => (r, i)).Where(x => x.r.Partition == partition.Key).Select(x => "m" + x.i), read);
            }
        }
    }

    [Fact]
    public async Task AppendsOfOneProducer_AreTakenInSequenceOrder_WhateverOrderTheCallsArriveIn()
    {
        // Orleans keeps no order between calls: 200 appends made one after another arrive shuffled (even reversed).
        // Numbered, they are appended in number order; here they are even made in reverse.
        await Client.CreateTopicAsync("sdk", "sequenced", new TopicConfig { Partitions = 1 });
        var grain = Client.Cluster.GetGrain<IPartitionGrain>(GrainKeys.Partition("sdk", "sequenced", 0));
        var producer = Guid.NewGuid();
        var calls = Enumerable.Range(0, 200).Reverse()
            .Select(n => (Number: n, Call: grain.AppendAsync([Text("m" + n)], new ProduceOptions { Acks = Acks.Leader, Sequence = new AppendSequence { Producer = producer, Number = n, Oldest = 0 } })))
            .ToList();
        foreach (var (number, call) in calls)
        {
            Assert.Equal(number, (await call)[0].Offset);
        }

        Assert.Equal(Enumerable.Range(0, 200).Select(n => "m" + n), await Client.Topic("sdk", "sequenced").ReadAsync(0).Select(Text).ToListAsync());
    }

    [Fact]
    public async Task AnAppendWhoseEarlierAppendNeverComes_FailsAfterTheWait_AndALateOneIsRefused()
    {
        await Client.CreateTopicAsync("sdk", "gap", new TopicConfig { Partitions = 1 });
        var grain = Client.Cluster.GetGrain<IPartitionGrain>(GrainKeys.Partition("sdk", "gap", 0));
        var producer = Guid.NewGuid();
        Task<List<ProduceResult>> Append(long number, long oldest) => grain.AppendAsync([Text("n" + number)], new ProduceOptions { Sequence = new AppendSequence { Producer = producer, Number = number, Oldest = oldest } });

        Assert.Equal(0, (await Append(0, 0))[0].Offset);
        var clock = Stopwatch.StartNew();
        var waited = await Assert.ThrowsAsync<EffluxException>(() => Append(2, 1));
        Assert.Equal(EffluxError.Unavailable, waited.Error);
        Assert.Contains("for its append 1", waited.Message, StringComparison.Ordinal);
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(30));

        Assert.Equal(1, (await Append(1, 1))[0].Offset);
        var late = await Assert.ThrowsAsync<EffluxException>(() => Append(1, 1));
        Assert.Equal(EffluxError.Conflict, late.Error);
        Assert.Equal(2, (await Append(2, 2))[0].Offset);

        // An answered append moves the line on: a producer that got its answer for 3 (it failed before reaching the
        // partition) sends 4 with Oldest 4, which does not wait.
        Assert.Equal(3, (await Append(4, 4))[0].Offset);
        Assert.Equal(["n0", "n1", "n2", "n4"], await Client.Topic("sdk", "gap").ReadAsync(0).Select(Text).ToListAsync());
    }

    [Fact]
    public async Task ConcurrentSingleAppends_GoTogether_EachWithItsOwnResult_InTheOrderMade()
    {
        // A client that counts its append calls, with at most two of them unanswered per topic.
        var calls = new AppendCallCounter();
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder();
        Microsoft.Extensions.Hosting.OrleansClientGenericHostExtensions.UseOrleansClient(builder, c =>
        {
            new EffluxClientOptions { Gateways = { Silo.Gateway } }.Configure(c);
            c.AddOutgoingGrainCallFilter(calls);
        });
        builder.Services.AddEffluxClient(o => o.AppendCallsInFlight = 2);
        using var host = builder.Build();
        await host.StartAsync();
        var client = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<EffluxClient>(host.Services);
        await client.CreateTopicAsync("sdk", "lanes", new TopicConfig { Partitions = 1 });
        var topic = client.Topic("sdk", "lanes");
        await topic.AppendAsync(Text("first"));

        // The first two go at once, one call each; the others wait and go together as those are answered.
        var appends = Enumerable.Range(1, 300).Select(i => topic.AppendAsync(Text("m" + i, id: "id-" + i))).ToList();
        var results = await Task.WhenAll(appends);

        Assert.Equal(Enumerable.Range(1, 300).Select(i => "id-" + i), results.Select(r => r.Id));
        Assert.Equal(Enumerable.Range(1, 300).Select(i => (long)i), results.Select(r => r.Offset));
        Assert.Equal(Enumerable.Range(1, 300).Select(i => "m" + i).Prepend("first"), await topic.ReadAsync(0).Select(Text).ToListAsync());
        Assert.InRange(calls.Appends, 4, 31);
        await host.StopAsync();
    }

    [Fact]
    public async Task AFaultyMessageAmongConcurrentSingleAppends_FailsAlone()
    {
        await Client.CreateTopicAsync("sdk", "lane-fault", new TopicConfig { Partitions = 1 });
        var topic = Client.Topic("sdk", "lane-fault");
        var appends = Enumerable.Range(0, 100)
            .Select(i => topic.AppendAsync(i == 50 ? new ProduceMessage { Payload = new byte[2048] } : Text("m" + i)))
            .ToList();

        var tooBig = await Assert.ThrowsAsync<EffluxException>(() => appends[50]);
        Assert.Equal(EffluxError.TooLarge, tooBig.Error);
        var stored = appends.Where((_, i) => i != 50).ToList();
        await Task.WhenAll(stored);
        Assert.Equal(99, (await topic.DescribeAsync()).Partitions[0].NextOffset);
        Assert.Equal(
            Enumerable.Range(0, 100).Where(i => i != 50).Select(i => "m" + i).Order(StringComparer.Ordinal),
            (await topic.ReadAsync(0).Select(Text).ToListAsync()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task AppendsThroughAHandleKeptAcrossADelete_RecreateTheTopic()
    {
        var topic = Client.Topic("sdk", "recreated");
        await topic.AppendAsync(Text("before"));
        await topic.AppendBatchAsync([Text("before-2")]);
        await Client.DeleteTopicAsync("sdk", "recreated");

        Assert.Equal(0, (await topic.AppendAsync(Text("after"))).Offset);
        await Client.DeleteTopicAsync("sdk", "recreated");
        Assert.Equal(0, (await topic.AppendBatchAsync([Text("after-2")]))[0].Offset);
        Assert.Equal(["after-2"], await topic.ReadAsync(0).Select(Text).ToListAsync());
    }

    /// <summary>Counts the partition append calls a client makes.</summary>
    private sealed class AppendCallCounter : IOutgoingGrainCallFilter
    {
        private int _appends;

        public int Appends => Volatile.Read(ref _appends);

        public Task Invoke(IOutgoingGrainCallContext context)
        {
            if (context.InterfaceName.Contains(nameof(IPartitionGrain), StringComparison.Ordinal) && context.MethodName == nameof(IPartitionGrain.AppendAsync))
            {
                Interlocked.Increment(ref _appends);
            }

            return context.Invoke();
        }
    }

    public sealed record Order(string Sku, int Quantity);

    [Fact]
    public async Task TypedTopic_WritesJsonWithItsDataType_AndReadsValues()
    {
        var orders = Client.Topic<Order>("sdk", "orders");
        await orders.AppendAsync(new Order("A-1", 2), id: "o1");
        await orders.AppendAsync(new Order("B-7", 5), id: "o2");
        var read = await orders.ReadAsync(0).ToListAsync();
        Assert.Equal([new Order("A-1", 2), new Order("B-7", 5)], read.Select(r => r.Value));
        Assert.All(read, r => Assert.Equal(nameof(Order), r.Message.DataType));
        Assert.All(read, r => Assert.Equal("application/json", r.Message.ContentType));

        var found = await orders.Untyped.SearchAsync(new SearchRequest { DataType = nameof(Order) });
        Assert.Equal(["o1", "o2"], found.Select(m => m.Id));
    }

    [Fact]
    public async Task Follow_SeesNewMessages_AsTheyArrive()
    {
        var topic = Client.Topic("sdk", "follow");
        await topic.AppendAsync(Text("before"));
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var seen = new List<string>();
        var reader = Task.Run(async () =>
        {
            await foreach (var m in topic.ReadAsync(0, follow: true, cancellationToken: stop.Token))
            {
                seen.Add(Text(m));
                if (seen.Count == 3)
                {
                    return;
                }
            }
        });
        // The reader has "before" and is parked at the end of the partition, waiting for more.
        await Eventually.WaitUntil(() => seen.Count == 1);
        await Eventually.Succeeds(async () => Assert.True((await topic.DescribeAsync()).Partitions[0].Waiting >= 1, "no reader is waiting at the end"));
        var clock = Stopwatch.StartNew();
        await topic.AppendAsync(Text("during-1"));
        await topic.AppendAsync(Text("during-2"));
        await reader.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5));
        Assert.Equal(["before", "during-1", "during-2"], seen);
    }

    [Fact]
    public async Task ChainCheckedRead_RejectsARecordChangedOnDisk()
    {
        var topic = Client.Topic("sdk", "chain");
        await topic.AppendBatchAsync([Text("alpha"), Text("bravo"), Text("charlie")]);
        Assert.Equal(3, (await topic.ReadAsync(0, verifyChain: true).ToListAsync()).Count);

        var segment = Directory.GetFiles(Path.Combine(Silo.DataDirectory, "sdk", "chain", "0"), "*.log").Single();
        var bytes = await File.ReadAllBytesAsync(segment);
        var at = System.Text.Encoding.ASCII.GetString(bytes).IndexOf("bravo", StringComparison.Ordinal);
        using (var file = new FileStream(segment, FileMode.Open, FileAccess.Write, FileShare.ReadWrite))
        {
            file.Position = at;
            file.WriteByte((byte)'B');
        }

        var corrupt = await Assert.ThrowsAsync<EffluxException>(async () => await topic.ReadAsync(0, verifyChain: true).ToListAsync());
        Assert.Equal(EffluxError.Corrupt, corrupt.Error);
        Assert.Contains("offset 1", corrupt.Message, StringComparison.Ordinal);

        // Reading from the middle checks the link to the record before it as well.
        var fromMiddle = await Assert.ThrowsAsync<EffluxException>(async () => await topic.ReadAsync(0, fromOffset: 1, verifyChain: true).ToListAsync());
        Assert.Equal(EffluxError.Corrupt, fromMiddle.Error);
    }

    [Fact]
    public async Task ConsumerGroup_ConsumesFromCommitted_AndCommitsNeverGoBack()
    {
        await Client.CreateTopicAsync("sdk", "cg", new TopicConfig { Partitions = 3 });
        var topic = Client.Topic("sdk", "cg");
        await topic.AppendBatchAsync([.. Enumerable.Range(0, 30).Select(i => Text("v" + i, group: "g" + (i % 5)))]);
        var group = topic.Group("workers");

        var firstHalf = new List<EffluxMessage>();
        await foreach (var m in group.ConsumeAsync(follow: false))
        {
            firstHalf.Add(m);
        }

        Assert.Equal(30, firstHalf.Count);
        foreach (var last in firstHalf.GroupBy(m => m.Partition).Select(g => g.OrderBy(m => m.Offset).ElementAt(g.Count() / 2)))
        {
            await group.CommitAsync(last);
        }

        var info = await group.DescribeAsync();
        var rest = await group.ConsumeAsync(follow: false).ToListAsync();
        Assert.Equal(info.Lag, rest.Count);
        Assert.True(rest.Count is > 0 and < 30);

        var backwards = await Assert.ThrowsAsync<EffluxException>(() => group.CommitAsync(rest[0].Partition, 0));
        Assert.Equal(EffluxError.Conflict, backwards.Error);
    }

    [Fact]
    public async Task ClientsThroughDependencyInjection_ConnectWithTheHost()
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder();
        builder.Services.AddEffluxClient(o => o.Gateways.Add(Silo.Gateway));
        using var host = builder.Build();
        await host.StartAsync();
        var client = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<EffluxClient>(host.Services);
        var result = await client.Topic("sdk", "di").AppendAsync(Text("hello"));
        Assert.Equal(0, result.Offset);
        await host.StopAsync();
    }

    [Fact]
    public async Task ClientsThroughDependencyInjection_ShareTheApplicationsOwnOrleansClient()
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder();
        Microsoft.Extensions.Hosting.OrleansClientGenericHostExtensions.UseOrleansClient(builder, c => new EffluxClientOptions { Gateways = { Silo.Gateway } }.Configure(c));
        builder.Services.AddEffluxClient(o => o.Gateways.Add("127.0.0.1:1"));
        using var host = builder.Build();
        await host.StartAsync();
        var services = host.Services;
        var client = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<EffluxClient>(services);
        Assert.Same(Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<IClusterClient>(services), client.Cluster);
        var result = await client.Topic("sdk", "di-shared").AppendAsync(Text("hello"));
        Assert.Equal(0, result.Offset);
        await host.StopAsync();
    }

    [Fact]
    public async Task ConnectingToNoSilo_FailsWithUnavailable()
    {
        var error = await Assert.ThrowsAsync<EffluxException>(() => EffluxClient.ConnectAsync("127.0.0.1:" + LoopbackPort.Free()));
        Assert.Equal(EffluxError.Unavailable, error.Error);
    }
}
