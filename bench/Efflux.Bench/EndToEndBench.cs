using System.Globalization;
using Efflux.Client;
using Efflux.Testing;

namespace Efflux.Bench;

/// <summary>
/// Only the end-to-end rows of <c>service</c> (append→subscriber at 10,000 msg/s, durable and leader acks, beside Redis
/// XADD→XREAD BLOCK with appendfsync always and everysec), in a few minutes instead of the whole service bench: the
/// loop to iterate on end-to-end latency with. It prints the silo's process id before measuring and then waits
/// <c>EFFLUX_BENCH_ATTACH_SECONDS</c> (default 0), so that a tracer (perf trace, strace) can be attached to it.
/// </summary>
internal static class EndToEndBench
{
    private const int PayloadBytes = 100;

    public static async Task<int> RunAsync(BenchOptions o)
    {
        Console.WriteLine($"End-to-end at 10,000 msg/s, {o.Runs} runs (medians)");
        var results = await Measurement.MediansAsync(o.Runs, "messages", run => OneRunAsync(o, run));
        Measurement.WriteJsonIfAsked(o.JsonFile, results);

        return 0;
    }

    private static async Task<List<Measurement>> OneRunAsync(BenchOptions o, int run)
    {
        var results = new List<Measurement>();
        var directory = o.FreshDirectory("e2e-" + run.ToString(CultureInfo.InvariantCulture));

        var gatewayPort = LoopbackPort.Free();
        using (var silo = await ServiceBench.SiloPeer.StartAsync(LoopbackPort.Free(), gatewayPort, LoopbackPort.Free(), directory))
        {
            await using var client = await EffluxClient.ConnectAsync($"127.0.0.1:{gatewayPort}");
            var payload = new byte[PayloadBytes];
            Random.Shared.NextBytes(payload);
            await ServiceBench.WarmEndToEndAsync(client, payload, silo.ProcessId);
            Console.WriteLine($"  silo process {silo.ProcessId}");
            var attach = int.TryParse(Environment.GetEnvironmentVariable("EFFLUX_BENCH_ATTACH_SECONDS"), CultureInfo.InvariantCulture, out var seconds) ? seconds : 0;
            await Task.Delay(TimeSpan.FromSeconds(attach));
            results.Add(await ServiceBench.EndToEndAsync(client.Topic("bench", "e2e"), payload, 10_000, TimeSpan.FromSeconds(5), Acks.Durable));
            await Driver.SettleAsync(silo.ProcessId);
            results.Add(await ServiceBench.EndToEndAsync(client.Topic("bench", "e2e-leader"), payload, 10_000, TimeSpan.FromSeconds(5), Acks.Leader));
        }

        Directory.Delete(directory, recursive: true);
        foreach (var fsync in new[] { "always", "everysec" })
        {
            using var redis = ServiceBench.RedisPeer.Start(fsync);
            results.Add(await RedisStreamsLatency.RunAsync($"redis end-to-end XADD→XREAD BLOCK, 10,000 msg/s, appendfsync {fsync}", redis.Port, PayloadBytes, 10_000, TimeSpan.FromSeconds(5)));
        }

        return results;
    }
}
