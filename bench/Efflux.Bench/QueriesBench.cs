using System.Diagnostics;
using System.Globalization;
using System.Text;
using Efflux.Client;
using Efflux.Grains;
using Efflux.Grains.Queries;
using Efflux.Grains.Streams;
using Efflux.Processing.Parsing;
using Efflux.Processing.Engine;
using Efflux.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Efflux.Bench;

/// <summary>
/// Live queries in one process: an Orleans silo with the Efflux grains, the Efflux stream provider and Orleans' memory
/// stream provider, and an SDK client over the silo's own cluster client. Measured in each run: a live tumbling query
/// fed by the SDK batched producer against the offline engine over the same records; append→row latency of a pattern
/// query at 10,000 events/s; and the delivery rate of the Efflux provider against the memory provider carrying the
/// same number of 100-byte events to a counting grain.
/// </summary>
internal static class QueriesBench
{
    public const string MemoryProvider = "mem";
    private const string Ns = "qb";
    private const string Tumbling = "SELECT key, COUNT(*) AS n, SUM(v) AS total, AVG(v) AS mean FROM events WINDOW TUMBLING(1 sec) GROUP BY key INSERT INTO per_second;";
    private const string Pattern = "SELECT a.pair AS pair, b.at - a.at AS took FROM ticks MATCH (a=ticks -> b=ticks) WITHIN 1 sec FILTER a.kind = 'open' AND b.kind = 'close' AND b.pair = a.pair INSERT INTO pairs;";
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static async Task<int> RunAsync(BenchOptions o)
    {
        var directory = o.FreshDirectory("queries");

        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering(LoopbackPort.Free(), LoopbackPort.Free());
            silo.AddEffluxGrains(e => e.DataDirectory = directory);
            silo.AddEffluxStreams(EffluxStreams.ProviderName, s => s.Namespaces.Add(Ns));
            silo.AddMemoryStreams(MemoryProvider);
        });
        using var host = builder.Build();
        await host.StartAsync();
        var cluster = host.Services.GetRequiredService<IClusterClient>();
        await using var client = new EffluxClient(cluster);
        Console.WriteLine($"queries benchmark: {o.Messages:N0} events per throughput scenario, {o.Runs} runs (medians); silo and SDK client in this process");
        var results = await Measurement.MediansAsync(o.Runs, "events", run => OneRunAsync(client, cluster, o.Messages, run));

        Measurement Find(string prefix) => results.First(r => r.Scenario.StartsWith(prefix, StringComparison.Ordinal));
        var live = Find("live tumbling");
        var offline = Find("offline engine");
        var pattern = Find("live pattern");
        Console.WriteLine();
        Console.WriteLine($"live tumbling query, events/s through the stream provider into rows: {live.PerSecond:N0}  (goal ≥ 1,000,000)");
        Console.WriteLine($"live / offline engine on the same records = {live.PerSecond / offline.PerSecond:F2}x  (goal ≥ 0.25x)");
        Console.WriteLine($"pattern at 10,000 events/s, append→row: p50 {pattern.P50us / 1000:F1} ms, p99 {pattern.P99us / 1000:F1} ms  (goal p99 < 50 ms)");
        Console.WriteLine($"Efflux provider / memory provider delivery = {Find("efflux stream provider").PerSecond / Find("orleans memory stream provider").PerSecond:F2}x  (goal ≥ 1x)");
        Measurement.WriteJsonIfAsked(o.JsonFile, results);

        await host.StopAsync();
        if (!o.Keep)
        {
            Directory.Delete(directory, recursive: true);
        }

        return 0;
    }

    private static async Task<List<Measurement>> OneRunAsync(EffluxClient client, IClusterClient cluster, int events, int run)
    {
        var suffix = run.ToString(CultureInfo.InvariantCulture);
        var results = new List<Measurement>();
        results.AddRange(await TumblingAsync(client, "events" + suffix, "tumbling" + suffix, events));
        results.Add(await PatternAsync(client, "ticks" + suffix, "pattern" + suffix, TimeSpan.FromSeconds(5)));
        results.AddRange(await DeliveryAsync(client, cluster, "deliver" + suffix, events / 2));
        return results;
    }

    private static byte[] Reading(int i) => Encoding.UTF8.GetBytes($$"""{"key":"k{{i % 100}}","v":{{i % 1000}}}""");

    private static async Task<List<Measurement>> TumblingAsync(EffluxClient client, string topicName, string queryName, int events)
    {
        await client.CreateTopicAsync(Ns, topicName, new TopicConfig { Partitions = 1 });
        var text = Tumbling.Replace("FROM events", "FROM " + topicName, StringComparison.Ordinal).Replace("per_second", "per_second_" + topicName, StringComparison.Ordinal);
        await client.Queries.CreateAsync(Ns, queryName, text);
        var topic = client.Topic(Ns, topicName);
        var clock = Stopwatch.StartNew();
        var producer = topic.CreateProducer(new ProducerOptions { Acks = Acks.Leader, MaxBatch = 1000, Linger = TimeSpan.FromMilliseconds(1), MaxInFlight = 8 });
        var acknowledgements = new Task<ProduceResult>[events];
        for (var i = 0; i < events; i++)
        {
            acknowledgements[i] = producer.SendAsync(new ProduceMessage { Payload = Reading(i), ContentType = "application/json", Timestamp = T0.AddMilliseconds(i) });
        }

        await producer.DisposeAsync();
        await Task.WhenAll(acknowledgements);
        var produced = clock.Elapsed;
        while ((await client.Queries.GetAsync(Ns, queryName)).EventsIn < events)
        {
            await Task.Delay(20);
        }

        var live = clock.Elapsed;
        await client.Queries.DeleteAsync(Ns, queryName);

        // The offline engine over the same records, each made into an event as the live query makes it.
        var records = await topic.ReadAsync(0).ToListAsync();
        var engine = new QueryEngine(Analyzer.ParseAndCheck(text, queryName));
        var rows = new CountingRows();
        var offline = Stopwatch.StartNew();
        for (var i = 0; i < records.Count; i++)
        {
            engine.Push(QueryEvents.From(records[i], topicName, i), rows);
        }

        offline.Stop();
        return
        [
            Measurement.Of("live tumbling count/sum/avg by key, 1 s windows, 2 shards: events in", events, 0, live),
            Measurement.Of("offline engine, same query and records (events made from records)", records.Count, 0, offline.Elapsed),
            Measurement.Of("SDK batched producer feeding the live query (leader acks)", events, 0, produced),
        ];
    }

    private static async Task<Measurement> PatternAsync(EffluxClient client, string topicName, string queryName, TimeSpan duration)
    {
        const int Rate = 10_000;

        // A latency run starts from a settled heap: the throughput scenario before it leaves hundreds of MB (the records
        // it read back) for a blocking collection to find in the middle of the measurement.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        await client.CreateTopicAsync(Ns, topicName, new TopicConfig { Partitions = 1 });
        var output = "pairs_" + topicName;
        await client.Queries.CreateAsync(Ns, queryName, Pattern.Replace("ticks", topicName, StringComparison.Ordinal).Replace("pairs", output, StringComparison.Ordinal));
        var topic = client.Topic(Ns, topicName);
        var total = (int)(Rate * duration.TotalSeconds);
        var latencies = new List<double>(total / 2);
        using var stop = new CancellationTokenSource();
        var reader = Task.Run(async () =>
        {
            try
            {
                await foreach (var row in client.Topic(Ns, output).ReadAsync(0, 0, follow: true, cancellationToken: stop.Token))
                {
                    latencies.Add((DateTimeOffset.UtcNow - row.Timestamp).TotalMicroseconds);
                    if (latencies.Count == total / 2)
                    {
                        return;
                    }
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                // Gave up waiting: the rows so far are reported.
            }
        });
        var appends = new Task[total];
        var clock = Stopwatch.StartNew();
        await Pacer.RunAsync(Rate, total, i =>
        {
            var now = DateTimeOffset.UtcNow;
            var body = Encoding.UTF8.GetBytes($$"""{"kind":"{{(i % 2 == 0 ? "open" : "close")}}","pair":{{i / 2}},"at":{{now.ToUnixTimeMilliseconds()}}}""");
            appends[i] = topic.AppendAsync(new ProduceMessage { Payload = body, ContentType = "application/json", Timestamp = now }, new ProduceOptions { Acks = Acks.Leader });
        });
        await Task.WhenAll(appends);
        stop.CancelAfter(TimeSpan.FromSeconds(30));
        await reader;
        await client.Queries.DeleteAsync(Ns, queryName);
        return Measurement.Of("live pattern open→close, 10,000 events/s, append→output row (leader acks in and out)", latencies.Count, 0, clock.Elapsed, latencies);
    }

    /// <summary>The delivery passes in turn: true for the Efflux provider, false for the memory provider.</summary>
    private static readonly bool[] DeliveryOrder = [true, false, false, true, true, false];

    private static async Task<List<Measurement>> DeliveryAsync(EffluxClient client, IClusterClient cluster, string name, int events)
    {
        var payload = new byte[100];
        Random.Shared.NextBytes(payload);
        await client.CreateTopicAsync(Ns, name, new TopicConfig { Partitions = 1 });
        var producer = client.Topic(Ns, name).CreateProducer(new ProducerOptions { Acks = Acks.Leader, MaxBatch = 1000, Linger = TimeSpan.FromMilliseconds(1), MaxInFlight = 8 });
        var acknowledgements = new Task<ProduceResult>[events];
        for (var i = 0; i < events; i++)
        {
            acknowledgements[i] = producer.SendAsync(new ProduceMessage { Payload = payload });
        }

        await producer.DisposeAsync();
        await Task.WhenAll(acknowledgements);

        // Three passes of each provider, in the order E M M E E M so that neither always runs on the garbage of the
        // other, each from a settled heap: one pass of each, one after the other, swung 0.6–2.2x between runs.
        var effluxPasses = new List<Measurement>();
        var memoryPasses = new List<Measurement>();
        foreach (var (pass, useEfflux) in DeliveryOrder.Select((e, i) => (i, e)))
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            var key = name + "-" + pass.ToString(CultureInfo.InvariantCulture);
            var counter = cluster.GetGrain<IStreamCounterGrain>((useEfflux ? "efflux-" : "memory-") + key);
            var clock = Stopwatch.StartNew();
            if (useEfflux)
            {
                await counter.SubscribeEffluxAsync(Ns, name);
            }
            else
            {
                await counter.SubscribeMemoryAsync(key);
                clock.Restart();
                await cluster.GetGrain<IMemoryProducerGrain>(key).ProduceAsync(key, payload, events, 1000);
            }

            await UntilAsync(counter, events);
            var scenario = useEfflux ? "efflux stream provider: stored records to a counting grain, from offset 0" : "orleans memory stream provider: batches of 1000 to a counting grain";
            var measured = Measurement.Of(scenario, events, (long)events * payload.Length, clock.Elapsed);
            Console.WriteLine($"    delivery pass {pass + 1}: {(useEfflux ? "efflux" : "memory")} {measured.PerSecond:N0}/s");
            (useEfflux ? effluxPasses : memoryPasses).Add(measured);
        }

        return [Measurement.Median(effluxPasses), Measurement.Median(memoryPasses)];
    }

    private static async Task UntilAsync(IStreamCounterGrain counter, long count)
    {
        while (await counter.CountAsync() < count)
        {
            await Task.Delay(5);
        }
    }

    private sealed class CountingRows : IRowSink
    {
        public long Count { get; private set; }

        public void OnRow(in RowView row) => Count++;
    }
}
