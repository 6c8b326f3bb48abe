using System.Diagnostics;
using System.Globalization;
using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;

namespace Efflux.Bench;

/// <summary>
/// NATS JetStream beside Efflux: the Debian nats-server (2.9) as a child process with JetStream and file storage in a
/// directory of its own, driven by NATS.Net. 2.9 acknowledges a publish after an unsynced write and fsyncs on a
/// 2-minute timer (Efflux <c>leader</c> acks); it has no setting to fsync before acknowledging, so the synced mode marks
/// the store directory <c>chattr +S</c> (synchronous writes on ext4, inherited by the files JetStream creates there),
/// which stands in for it (Efflux <c>durable</c> acks).
/// </summary>
internal sealed class NatsPeer : IAsyncDisposable
{
    private const string Stream = "bench";
    private readonly Process _server;
    private readonly string _directory;
    private readonly NatsConnection _connection;

    private NatsPeer(Process server, string directory, NatsConnection connection, bool synced)
    {
        _server = server;
        _directory = directory;
        _connection = connection;
        Synced = synced;
        JetStream = new NatsJSContext(connection);
    }

    /// <summary>True when the store directory writes synchronously (chattr +S).</summary>
    public bool Synced { get; }

    /// <summary>How the mode is named in scenarios.</summary>
    public string Mode => Synced ? "store chattr +S (synced before the ack)" : "default (ack after an unsynced write)";

    private NatsJSContext JetStream { get; }

    /// <summary><c>bench nats</c>: only these rows, both modes, medians of the runs.</summary>
    public static async Task<int> RunAsync(BenchOptions o)
    {
        var payload = new byte[100];
        Random.Shared.NextBytes(payload);
        var results = await Measurement.MediansAsync(o.Runs, "messages", _ => BothModesAsync(o.Messages, payload));
        if (o.JsonFile is { } json)
        {
            Measurement.WriteJson(json, results);
        }

        return 0;
    }

    /// <summary>The rows of both modes, each against a server of its own.</summary>
    public static async Task<List<Measurement>> BothModesAsync(int messages, byte[] payload)
    {
        var rows = new List<Measurement>();
        foreach (var synced in new[] { false, true })
        {
            await using var nats = await StartAsync(synced);
            rows.AddRange(await nats.MeasureAsync(messages, payload));
        }

        return rows;
    }

    public static async Task<NatsPeer> StartAsync(bool synced)
    {
        var port = Efflux.Testing.LoopbackPort.Free();
        var directory = Path.Combine(Path.GetTempPath(), "efflux-bench-nats-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        if (synced)
        {
            using var chattr = Process.Start("chattr", ["+S", directory]) ?? throw new InvalidOperationException("chattr did not start");
            await chattr.WaitForExitAsync();
            if (chattr.ExitCode != 0)
            {
                throw new InvalidOperationException($"chattr +S {directory} failed (the store must be on ext4)");
            }
        }

        var info = new ProcessStartInfo("nats-server") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "-js", "-a", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture), "-sd", directory })
        {
            info.ArgumentList.Add(a);
        }

        var server = Process.Start(info) ?? throw new InvalidOperationException("nats-server did not start (install it: apt-get install nats-server)");
        server.BeginOutputReadLine();
        server.BeginErrorReadLine();
        var connection = new NatsConnection(new NatsOpts { Url = $"nats://127.0.0.1:{port}" });
        var peer = new NatsPeer(server, directory, connection, synced);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            try
            {
                await connection.ConnectAsync();
                await peer.JetStream.CreateStreamAsync(new StreamConfig(Stream, ["bench.>"]) { Storage = StreamConfigStorage.File });
                return peer;
            }
            catch (Exception) when (DateTime.UtcNow < deadline && !server.HasExited)
            {
                await Task.Delay(100);
            }
            catch (Exception)
            {
                // Not up in time: stop the server and remove its store before saying so.
                await peer.DisposeAsync();
                throw;
            }
        }
    }

    /// <summary>The rows of one mode: publishes one at a time, 256 in flight, batches of 1000; pull consumes; end to end.</summary>
    public async Task<List<Measurement>> MeasureAsync(int messages, byte[] payload)
    {
        var results = new List<Measurement>();
        // Warm the client's paths (JIT, connections) as Efflux's are warmed: publishes, then reading them back.
        await Driver.WarmAsync(() => Driver.DriveAsync("warm-up", 20_000, 256, _ => PublishAsync("bench.warm", payload)));
        await ConsumeAsync("bench.warm", 20_000, ConsumerConfigAckPolicy.None);
        results.Add(await Driver.DriveAsync($"nats JetStream publish, 1 at a time, {Mode}", Math.Max(messages / 20, 1000), 1, _ => PublishAsync("bench.single", payload)));
        results.Add(await Driver.DriveAsync($"nats JetStream publish async, 256 in flight, {Mode}", messages / 4, 256, _ => PublishAsync("bench.async", payload)));

        var clock = Stopwatch.StartNew();
        for (var sent = 0; sent < messages; sent += 1000)
        {
            await Task.WhenAll(Enumerable.Range(0, 1000).Select(_ => PublishAsync("bench.batch", payload)));
        }

        results.Add(Measurement.Of($"nats JetStream publish, batches of 1000 awaited together, {Mode}", messages, (long)messages * payload.Length, clock.Elapsed));
        foreach (var acks in new[] { ConsumerConfigAckPolicy.None, ConsumerConfigAckPolicy.All })
        {
            results.Add(await ConsumeAsync("bench.batch", messages, acks));
        }

        await EndToEndAsync("bench.warm-e2e", payload, Synced ? 1_000 : 10_000, TimeSpan.FromSeconds(2));
        results.Add(await EndToEndAsync("bench.e2e", payload, 10_000, TimeSpan.FromSeconds(5)));
        if (Synced)
        {
            // Synced, JetStream 2.9 takes a few thousand publishes a second here (one synchronous write each), so 10,000/s
            // only queues: its latency is measured again at a rate it can take.
            results.Add(await EndToEndAsync("bench.e2e-2k", payload, 2_000, TimeSpan.FromSeconds(5)));
        }
        return results;
    }

    private async Task<PubAckResponse> PublishAsync(string subject, byte[] payload)
    {
        var ack = await JetStream.PublishAsync(subject, payload);
        ack.EnsureSuccess();
        return ack;
    }

    /// <summary>A pull consumer from the first record of <paramref name="subject"/>, fetching 1000 at a time; with AckAll the last of each batch is acknowledged.</summary>
    private async Task<Measurement> ConsumeAsync(string subject, int messages, ConsumerConfigAckPolicy acks)
    {
        var name = subject.Replace('.', '-') + "-" + acks.ToString().ToLowerInvariant();
        var consumer = await JetStream.CreateOrUpdateConsumerAsync(Stream, new ConsumerConfig(name) { AckPolicy = acks, DeliverPolicy = ConsumerConfigDeliverPolicy.All, FilterSubject = subject });
        var clock = Stopwatch.StartNew();
        long count = 0;
        long bytes = 0;
        while (count < messages)
        {
            INatsJSMsg<byte[]>? last = null;
            await foreach (var message in consumer.FetchAsync<byte[]>(new NatsJSFetchOpts { MaxMsgs = 1000, Expires = TimeSpan.FromSeconds(5) }))
            {
                count++;
                bytes += message.Data?.Length ?? 0;
                last = message;
            }

            if (last is null)
            {
                throw new InvalidOperationException($"the pull consumer stopped at {count} of {messages}");
            }

            if (acks == ConsumerConfigAckPolicy.All)
            {
                await last.AckAsync();
            }
        }

        return Measurement.Of($"nats JetStream pull consume from the start, fetch 1000, {(acks == ConsumerConfigAckPolicy.All ? "AckAll" : "no acks")}, {Mode}", count, bytes, clock.Elapsed);
    }

    /// <summary>
    /// Publishes paced at <paramref name="rate"/>/s (each awaited for its ack on the pool), a pull consumer receiving;
    /// latency is publish sent → received. A mode that cannot take the rate queues, and publishes whose ack does not
    /// come within the client's timeout are counted and reported, not retried.
    /// </summary>
    private async Task<Measurement> EndToEndAsync(string subject, byte[] payload, int rate, TimeSpan duration)
    {
        var total = (int)(rate * duration.TotalSeconds);
        var sent = new long[total];
        var latencies = new List<double>(total);
        var consumer = await JetStream.CreateOrUpdateConsumerAsync(Stream, new ConsumerConfig(subject.Replace('.', '-')) { AckPolicy = ConsumerConfigAckPolicy.None, DeliverPolicy = ConsumerConfigDeliverPolicy.New, FilterSubject = subject });
        using var stop = new CancellationTokenSource();
        var received = Task.Run(async () =>
        {
            try
            {
                await foreach (var message in consumer.ConsumeAsync<byte[]>(cancellationToken: stop.Token))
                {
                    var index = BitConverter.ToInt32(message.Data);
                    lock (latencies)
                    {
                        latencies.Add(Stopwatch.GetElapsedTime(Volatile.Read(ref sent[index])).TotalMicroseconds);
                    }
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                // Measured enough.
            }
        });
        var acks = new Task<bool>[total];
        var clock = Stopwatch.StartNew();
        await Pacer.RunAsync(rate, total, i =>
        {
            var body = (byte[])payload.Clone();
            BitConverter.TryWriteBytes(body, i);
            Volatile.Write(ref sent[i], Stopwatch.GetTimestamp());
            acks[i] = AcknowledgedAsync(subject, body);
        });
        var acknowledged = (await Task.WhenAll(acks)).Count(a => a);
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(30) && Count() < acknowledged)
        {
            await Task.Delay(10);
        }

        await stop.CancelAsync();
        await received;
        if (acknowledged < total)
        {
            Console.WriteLine($"  nats {Mode}: {total - acknowledged} of {total} publishes at {rate}/s got no ack within the client's timeout");
        }

        lock (latencies)
        {
            return Measurement.Of($"nats JetStream end-to-end publish→pull consumer, {rate:N0} msg/s, {Mode}", latencies.Count, 0, clock.Elapsed, [.. latencies]);
        }

        int Count()
        {
            lock (latencies)
            {
                return latencies.Count;
            }
        }
    }

    private async Task<bool> AcknowledgedAsync(string subject, byte[] payload)
    {
        try
        {
            await PublishAsync(subject, payload);
            return true;
        }
        catch (NatsJSPublishNoResponseException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _connection.DisposeAsync();
        if (!_server.HasExited)
        {
            _server.Kill(entireProcessTree: true);
            await _server.WaitForExitAsync();
        }

        _server.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
