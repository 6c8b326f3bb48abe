using System.Diagnostics;
using System.Globalization;
using Efflux.Storage;
using Efflux.Format;
using Efflux.Storage.IO;

namespace Efflux.Bench;

/// <summary>
/// The storage scenarios, each beside the ceiling it is judged against, measured in the same run: the two SHA-256
/// computations a record needs (through <see cref="Sha256Fast"/>, the engine's own path), and a raw sequential
/// write+fsync of the same bytes with no format and no hashing.
/// </summary>
internal static class StorageBench
{
    /// <summary>Partitions appended at once in the spread scenario, against one.</summary>
    private const int Partitions = 8;

    /// <summary>Writes of the batch-1 latency rows (the durable append and the bare write+fdatasync).</summary>
    private const int Batch1Writes = 20_000;

    public static async Task<int> RunAsync(BenchOptions o)
    {
        Console.WriteLine($"storage benchmark: {o.Messages:N0} messages of {o.PayloadBytes} B, batch {o.Batch}, {o.Producers} producer(s), {o.Durability}, {o.Runs} runs (medians), SHA-256 via {Sha256Fast.Implementation}, {Environment.ProcessorCount} cores");
        var metadataBytes = await MeasureMetadataSizeAsync(o);
        var recordBytes = RecordLayout.Overhead + metadataBytes + o.PayloadBytes;
        var runs = new Dictionary<string, List<Measurement>>();
        void Add(Measurement m) => (runs.TryGetValue(m.Scenario, out var l) ? l : runs[m.Scenario] = []).Add(m);

        // One untimed pass first, smaller, so that no timed run measures code the JIT has not optimised yet (the first
        // of three runs used to be the slowest of the append rows), as `service` warms its paths.
        await RunOnceAsync(o with { Messages = Math.Min(o.Messages, 300_000) }, "warm", _ => { });
        for (var run = 0; run < o.Runs; run++)
        {
            await RunOnceAsync(o, run.ToString(CultureInfo.InvariantCulture), Add);
        }

        async Task RunOnceAsync(BenchOptions opts, string run, Action<Measurement> add)
        {
            add(HashCeiling(opts.Messages, opts.PayloadBytes, metadataBytes, managed: false));
            add(HashCeiling(opts.Messages / 4, opts.PayloadBytes, metadataBytes, managed: true));
            add(RawWrite(opts, recordBytes, opts.Batch, $"raw-write+fsync batch={opts.Batch}"));
            var dir = Path.Combine(opts.DataDir, $"run{run}");
            await using (var log = await PartitionLog.OpenAsync(dir, "bench", "topic", 0))
            {
                add(await AppendAsync([log], opts, recordBytes));
            }

            await using (var log = await PartitionLog.OpenAsync(dir, "bench", "topic", 0))
            {
                add(ReadSequential(log, recordBytes));
                add(VerifyAll(log, recordBytes));
            }

            // Batch-1 latency and its ceiling back to back, so that both meet the disk in the same state (measured minutes
            // apart, after the throughput rows had written gigabytes, the ratio swung 0.93–1.94×), and over 20,000
            // writes each, so that a p99 is the 200th slowest, not the 50th.
            add(RawWrite(opts with { Messages = Batch1Writes }, recordBytes, 1, "raw-write+fsync batch=1"));
            var latencyDir = Path.Combine(opts.DataDir, $"latency{run}");
            await using (var log = await PartitionLog.OpenAsync(latencyDir, "bench", "topic", 0))
            {
                add(await AppendAsync([log], opts with { Messages = Batch1Writes, Batch = 1, Producers = 1, Durability = Durability.Durable }, recordBytes));
            }

            var spreadDir = Path.Combine(opts.DataDir, $"spread{run}");
            foreach (var m in await AppendPartitionsAsync(opts, spreadDir, recordBytes))
            {
                add(m);
            }

            if (!opts.Keep)
            {
                Directory.Delete(dir, true);
                Directory.Delete(latencyDir, true);
                Directory.Delete(spreadDir, true);
            }
        }

        if (o.ReopenGigabytes > 0)
        {
            Add(await ReopenAfterKillAsync(o));
        }

        var results = runs.Values.Select(Measurement.Median).ToList();
        Print(results, o);
        Measurement.WriteJsonIfAsked(o.JsonFile, results);

        if (!o.Keep && Directory.Exists(o.DataDir))
        {
            Directory.Delete(o.DataDir, true);
        }

        return 0;
    }

    /// <summary>Child mode: fills a partition to the given size, says "filled", then keeps appending until killed.</summary>
    public static async Task<int> FillAndWaitAsync(string dir, long bytes)
    {
        await using var log = await PartitionLog.OpenAsync(dir, "bench", "reopen", 0);
        var payload = new byte[100];
        var batch = Enumerable.Range(0, 1000).Select(_ => new AppendMessage(payload)).ToList();
        while (log.TotalBytes < bytes)
        {
            await log.AppendBatchAsync(batch, Durability.Leader);
        }

        await log.FlushAsync();
        Console.WriteLine("filled");
        while (true)
        {
            await log.AppendBatchAsync(batch, Durability.Durable);
        }
    }

    private static async Task<int> MeasureMetadataSizeAsync(BenchOptions o)
    {
        var dir = Path.Combine(o.DataDir, "probe");
        await using (var log = await PartitionLog.OpenAsync(dir, "bench", "topic", 0))
        {
            await log.AppendAsync(new AppendMessage(new byte[o.PayloadBytes]));
            var size = log.Read(0)!.MetadataBytes.Length;
            await log.DisposeAsync();
            Directory.Delete(dir, true);
            return size;
        }
    }

    private static Measurement HashCeiling(int messages, int payloadBytes, int metadataBytes, bool managed)
    {
        var payload = new byte[payloadBytes];
        var metadata = new byte[metadataBytes];
        Random.Shared.NextBytes(payload);
        Random.Shared.NextBytes(metadata);
        Span<byte> digest = stackalloc byte[32];
        var sw = Stopwatch.StartNew();
        for (var i = 0; i < messages; i++)
        {
            payload[0] = (byte)i;
            if (managed)
            {
                Sha256Fast.HashManaged(payload, digest);
                Sha256Fast.HashManaged(metadata, digest);
            }
            else
            {
                Sha256Fast.Hash(payload, digest);
                Sha256Fast.Hash(metadata, digest);
            }

            metadata[0] = digest[0];
        }

        return Measurement.Of(managed ? "ceiling: 2x SHA256.HashData" : "ceiling: 2x SHA-256 (engine path)", messages, (long)messages * (payloadBytes + metadataBytes), sw.Elapsed);
    }

    private static Measurement RawWrite(BenchOptions o, int recordBytes, int batch, string name)
    {
        Directory.CreateDirectory(o.DataDir);
        var path = Path.Combine(o.DataDir, "raw.bin");
        var chunk = new byte[recordBytes * batch];
        Random.Shared.NextBytes(chunk);
        var latencies = new List<double>();
        var batches = o.Messages / batch;
        using (var file = PhysicalFileSystem.Instance.OpenLog(path))
        {
            file.Truncate(0);
            var sw = Stopwatch.StartNew();
            long position = 0;
            for (var b = 0; b < batches; b++)
            {
                var start = Stopwatch.GetTimestamp();
                file.Write(chunk, position);
                file.Flush();
                position += chunk.Length;
                latencies.Add(Stopwatch.GetElapsedTime(start).TotalMicroseconds);
            }

            var elapsed = sw.Elapsed;
            File.Delete(path);
            return Measurement.Of(name, (long)batches * batch, position, elapsed, latencies);
        }
    }

    /// <summary>
    /// <see cref="BenchOptions.Producers"/> producers, each appending batches of <see cref="BenchOptions.Batch"/> and
    /// waiting for every acknowledgement; producer p writes to <paramref name="logs"/>[p % count].
    /// </summary>
    private static async Task<Measurement> AppendAsync(List<PartitionLog> logs, BenchOptions o, int recordBytes)
    {
        var payload = new byte[o.PayloadBytes];
        Random.Shared.NextBytes(payload);
        var perProducer = o.Messages / o.Producers / o.Batch;
        var latencies = new List<double>[o.Producers];
        var sw = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, o.Producers).Select(p => Task.Run(async () =>
        {
            var log = logs[p % logs.Count];
            var mine = latencies[p] = new List<double>(perProducer);
            var batch = new AppendMessage[o.Batch];
            for (var b = 0; b < perProducer; b++)
            {
                for (var i = 0; i < batch.Length; i++)
                {
                    batch[i] = new AppendMessage(payload);
                }

                var start = Stopwatch.GetTimestamp();
                await log.AppendBatchAsync(batch, o.Durability);
                mine.Add(Stopwatch.GetElapsedTime(start).TotalMicroseconds);
            }
        })));
        var elapsed = sw.Elapsed;
        var messages = (long)perProducer * o.Batch * o.Producers;
        return Measurement.Of(AppendName(o, logs.Count), messages, messages * recordBytes, elapsed, latencies.SelectMany(l => l).ToList());
    }

    private static string AppendName(BenchOptions o, int partitions)
        => $"append {o.Durability.ToString().ToLowerInvariant()} batch={o.Batch} producers={o.Producers}" + (partitions > 1 ? $" partitions={partitions}" : string.Empty);

    /// <summary>
    /// One producer on one partition (unless the main scenario is that already), then one producer on each of
    /// <see cref="Partitions"/> partitions at once.
    /// </summary>
    private static async Task<List<Measurement>> AppendPartitionsAsync(BenchOptions o, string dir, int recordBytes)
    {
        var results = new List<Measurement>();
        foreach (var partitions in o.Producers == 1 ? [Partitions] : new[] { 1, Partitions })
        {
            var logs = new List<PartitionLog>();
            try
            {
                for (var p = 0; p < partitions; p++)
                {
                    logs.Add(await PartitionLog.OpenAsync(Path.Combine(dir, $"p{partitions}-{p}"), "bench", "spread", p));
                }

                results.Add(await AppendAsync(logs, o with { Producers = partitions }, recordBytes));
            }
            finally
            {
                foreach (var log in logs)
                {
                    await log.DisposeAsync();
                }
            }
        }

        return results;
    }

    private static Measurement ReadSequential(PartitionLog log, int recordBytes)
    {
        var sw = Stopwatch.StartNew();
        long next = log.StartOffset;
        long checksum = 0;
        while (true)
        {
            var batch = log.ReadBatch(next, PartitionLog.MaxRecordsPerRead, 16 << 20);
            if (batch.Count == 0)
            {
                break;
            }

            foreach (var r in batch)
            {
                checksum += r.Payload.Length;
            }

            next = batch[^1].Offset + 1;
        }

        var elapsed = sw.Elapsed;
        GC.KeepAlive(checksum);
        return Measurement.Of("read sequential (ReadBatch)", next, next * recordBytes, elapsed);
    }

    private static Measurement VerifyAll(PartitionLog log, int recordBytes)
    {
        var sw = Stopwatch.StartNew();
        var report = log.Verify();
        var elapsed = sw.Elapsed;
        if (!report.Ok)
        {
            throw new InvalidOperationException("benchmark log failed verification: " + report.Reason);
        }

        return Measurement.Of("verify full partition", report.Records, report.Records * recordBytes, elapsed);
    }

    private static async Task<Measurement> ReopenAfterKillAsync(BenchOptions o)
    {
        var dir = Path.Combine(o.DataDir, "reopen");
        var bytes = (long)(o.ReopenGigabytes * (1L << 30));
        var info = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet")
        {
            info.ArgumentList.Add(typeof(StorageBench).Assembly.Location);
        }

        info.ArgumentList.Add("fill-and-wait");
        info.ArgumentList.Add(dir);
        info.ArgumentList.Add(bytes.ToString(CultureInfo.InvariantCulture));
        using (var child = Process.Start(info)!)
        {
            while (await child.StandardOutput.ReadLineAsync() is { } line && line != "filled")
            {
            }

            await Task.Delay(300);
            child.Kill();
            await child.WaitForExitAsync();
        }

        var sw = Stopwatch.StartNew();
        await using var log = await PartitionLog.OpenAsync(dir, "bench", "reopen", 0);
        var elapsed = sw.Elapsed;
        var result = Measurement.Of($"reopen after SIGKILL ({log.TotalBytes / (double)(1 << 30):F2} GiB)", log.NextOffset, log.TotalBytes, elapsed) with { P50us = elapsed.TotalMicroseconds, P99us = elapsed.TotalMicroseconds };
        Console.WriteLine($"reopen: {log.Recovery}");
        return result;
    }

    private static void Print(List<Measurement> results, BenchOptions o)
    {
        Console.WriteLine();
        Console.WriteLine($"{"scenario",-46} {"messages",12} {"seconds",9} {"msgs/s",14} {"MB/s",9} {"p50 us",10} {"p99 us",10}");
        foreach (var r in results)
        {
            Console.WriteLine($"{r.Scenario,-46} {r.Messages,12:N0} {r.Seconds,9:F3} {r.PerSecond,14:N0} {r.MbPerSecond,9:F1} {r.P50us,10:F1} {r.P99us,10:F1}");
        }

        double Rate(string prefix) => results.FirstOrDefault(r => r.Scenario.StartsWith(prefix, StringComparison.Ordinal))?.PerSecond ?? double.NaN;
        double Exactly(string scenario) => results.FirstOrDefault(r => r.Scenario == scenario)?.PerSecond ?? double.NaN;
        var ceiling = Rate("ceiling: 2x SHA-256 (engine");
        var append = Exactly(AppendName(o, 1));
        var one = Exactly(AppendName(o with { Producers = 1 }, 1));
        Console.WriteLine();
        Console.WriteLine($"append / hashing ceiling       = {append / ceiling:P0}");
        Console.WriteLine($"append / raw write+fsync       = {append / Rate($"raw-write+fsync batch={o.Batch}"):P0}");
        Console.WriteLine($"1 producer / raw write+fsync   = {one / Rate($"raw-write+fsync batch={o.Batch}"):P0}");
        Console.WriteLine($"{Partitions} partitions / 1 partition  = {Exactly(AppendName(o with { Producers = Partitions }, Partitions)) / one:F2}x");
        Console.WriteLine($"verify / hashing ceiling       = {Rate("verify") / ceiling:P0}");
        Console.WriteLine($"engine SHA-256 / HashData      = {ceiling / Rate("ceiling: 2x SHA256.HashData"):F2}x");
        Console.WriteLine($"batch=1 append p99 / raw fsync p99 = {results.First(r => r.Scenario.Contains("batch=1 producers=1", StringComparison.Ordinal)).P99us / results.First(r => r.Scenario == "raw-write+fsync batch=1").P99us:F2}x");
    }
}
