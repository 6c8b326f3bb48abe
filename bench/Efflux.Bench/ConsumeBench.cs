using System.Globalization;
using Efflux.Client;
using Efflux.Testing;

namespace Efflux.Bench;

/// <summary>
/// Only the consume rows of <c>service</c>: a silo process holding <c>--messages</c> durable records, read from offset 0
/// in passes alternated with XRANGE bursts of as many records against a Redis beside it, each pass with the CPU time it
/// cost this process and the silo. The loop to iterate on read throughput with, in a few minutes.
/// </summary>
internal static class ConsumeBench
{
    public static async Task<int> RunAsync(BenchOptions o)
    {
        Console.WriteLine($"Consume: {o.Messages:N0} records of {ServiceBench.PayloadBytes} B, {o.Runs} runs (medians)");
        var results = await Measurement.MediansAsync(o.Runs, "messages", run => OneRunAsync(o, run));
        Console.WriteLine();
        Console.WriteLine($"SDK consume from 0 / redis XRANGE COUNT 1000, alternated = {results[0].PerSecond / results[1].PerSecond:F2}x  (target ≥ 2x)");
        Measurement.WriteJsonIfAsked(o.JsonFile, results);
        return 0;
    }

    private static async Task<List<Measurement>> OneRunAsync(BenchOptions o, int run)
    {
        var directory = o.FreshDirectory("consume-" + run.ToString(CultureInfo.InvariantCulture));
        var gatewayPort = LoopbackPort.Free();
        List<Measurement> results;
        using (var silo = await ServiceBench.SiloPeer.StartAsync(LoopbackPort.Free(), gatewayPort, LoopbackPort.Free(), directory))
        {
            await using var client = await EffluxClient.ConnectAsync($"127.0.0.1:{gatewayPort}");
            var payload = new byte[ServiceBench.PayloadBytes];
            Random.Shared.NextBytes(payload);
            var topic = client.Topic("bench", "durable");
            await ServiceBench.ProduceBatchedAsync(topic, payload, o.Messages, Acks.Durable);
            await Driver.WarmAsync(() => ServiceBench.ConsumePassAsync(topic, o.Messages), silo.ProcessId);
            results = await ServiceBench.ConsumeAlternatedAsync(topic, o.Messages, silo.ProcessId);
        }

        Directory.Delete(directory, recursive: true);
        return results;
    }
}
