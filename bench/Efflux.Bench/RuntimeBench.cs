using System.Diagnostics;
using Efflux.Runtime;
using Efflux.Runtime.Client;
using Efflux.Runtime.Hosting;
using Efflux.Runtime.Invocation;
using Efflux.Runtime.Networking;
using Efflux.Runtime.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;

namespace Efflux.Bench;

/// <summary>
/// Grain calls beside their raw baselines, in the same run: grain→grain inside one silo against a direct async method
/// call; client→silo and silo→silo over loopback against a bare echo over the same sockets and framing without the
/// grain layer (no catalog, no activation, no scheduling).
/// </summary>
internal static class RuntimeBench
{
    private const int Wide = 256;
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(2);

    public static async Task<int> RunAsync(BenchOptions o)
    {
        var calls = o.Messages;
        Console.WriteLine($"runtime benchmark: {calls:N0} calls per scenario ({calls / 20:N0} with 1 in flight), {o.Runs} runs (medians)");
        var results = await Measurement.MediansAsync(o.Runs, "calls", run => OneRunAsync(calls));

        double Rate(string prefix) => results.First(r => r.Scenario.StartsWith(prefix, StringComparison.Ordinal)).PerSecond;
        Console.WriteLine();
        Console.WriteLine($"in-silo grain→grain / direct call = {Rate("direct") / Rate("in-silo"):F2}x the time per call");
        Console.WriteLine($"client→silo / bare echo, 1 in flight = {Rate("bare echo, 1") / Rate("client→silo, 1"):F2}x");
        Console.WriteLine($"client→silo / bare echo, {Wide} in flight = {Rate($"bare echo, {Wide}") / Rate($"client→silo, {Wide}"):F2}x");
        Console.WriteLine($"silo→silo / bare echo, {Wide} in flight = {Rate($"bare echo, {Wide}") / Rate($"silo→silo, {Wide}"):F2}x");
        if (o.JsonFile is { } json)
        {
            Measurement.WriteJson(json, results);
            Console.WriteLine($"wrote {json}");
        }

        return 0;
    }

    private static async Task<List<Measurement>> OneRunAsync(int calls)
    {
        var results = new List<Measurement>();
        var plain = new PlainEcho();
        await WarmAsync(() => DriveAsync("warm-up", 200_000, 64, n => plain.PingAsync(n)));
        results.Add(await DriveAsync("direct async call (baseline), 64 in flight", calls, 64, n => plain.PingAsync(n)));

        using (var silo = await StartSiloAsync(port: 0))
        {
            var driver = silo.Services.GetRequiredService<IGrainFactory>().GetGrain<IDriverGrain>("driver");
            await WarmAsync(() => driver.RunAsync(200_000, 64));
            var sw = Stopwatch.StartNew();
            await driver.RunAsync(calls, 64);
            results.Add(Measurement.Of("in-silo grain→grain, 64 in flight", calls, 0, sw.Elapsed));
            await silo.StopAsync();
        }

        var port = LoopbackPort.Free();
        using (var silo = await StartSiloAsync(port))
        {
            await using var client = new ClusterClient(new ClientOptions { Gateways = { $"127.0.0.1:{port}" } });
            var echoes = Enumerable.Range(0, 64).Select(i => client.GetGrain<IEchoGrain>("c" + i)).ToArray();
            await WarmAsync(() => DriveAsync("warm-up", 100_000, Wide, n => echoes[n % echoes.Length].PingAsync(n)));
            results.Add(await DriveAsync("client→silo, 1 in flight", calls / 20, 1, n => echoes[n % echoes.Length].PingAsync(n)));
            results.Add(await DriveAsync($"client→silo, {Wide} in flight", calls, Wide, n => echoes[n % echoes.Length].PingAsync(n)));
            await silo.StopAsync();
        }

        var echoPort = LoopbackPort.Free();
        await using (var listener = new SiloListener(new BareEcho(), NullLogger.Instance))
        {
            await listener.StartAsync("127.0.0.1", echoPort, CancellationToken.None);
            await using var connections = new ConnectionManager(new BareEcho(), NullLogger.Instance, string.Empty);
            var connection = await connections.GetAsync($"127.0.0.1:{echoPort}");
            var echo = GrainInterfaces.CreateProxy<IEchoGrain>(new GrainId("bench.echo", "bare"), new ConnectionInvoker(connection));
            await WarmAsync(() => DriveAsync("warm-up", 100_000, Wide, echo.PingAsync));
            results.Add(await DriveAsync("bare echo, 1 in flight (same socket framing)", calls / 20, 1, echo.PingAsync));
            results.Add(await DriveAsync($"bare echo, {Wide} in flight (same socket framing)", calls, Wide, echo.PingAsync));
        }

        await using (var cluster = await TestCluster.StartAsync(2))
        {
            // Echo grains the placement puts on silo 1, called from silo 0.
            var from = cluster.Silos[0]!.GrainFactory;
            var remote = new List<IEchoGrain>();
            for (var i = 0; remote.Count < 64; i++)
            {
                var grain = from.GetGrain<IEchoGrain>("s" + i);
                await grain.PingAsync(0);
                if (cluster.Silos[1]!.Hosts(new GrainId("bench.echo", "s" + i)))
                {
                    remote.Add(grain);
                }
            }

            await WarmAsync(() => DriveAsync("warm-up", 100_000, Wide, n => remote[n % remote.Count].PingAsync(n)));
            results.Add(await DriveAsync($"silo→silo, {Wide} in flight", calls, Wide, n => remote[n % remote.Count].PingAsync(n)));
        }

        return results;
    }

    /// <summary>
    /// Repeats a scenario's warm-up for at least <see cref="WarmUp"/> and three rounds, so tiered compilation has
    /// replaced the first code of its hot paths (a grain's long synchronous loop runs on-stack-replaced code for a while)
    /// before the clock starts.
    /// </summary>
    private static async Task WarmAsync(Func<Task> round)
    {
        var warming = Stopwatch.StartNew();
        for (var r = 0; r < 3 || warming.Elapsed < WarmUp; r++)
        {
            await round();
        }
    }

    /// <summary>Makes <paramref name="calls"/> calls, <paramref name="inFlight"/> at a time, timing each.</summary>
    internal static async Task<Measurement> DriveAsync<T>(string scenario, int calls, int inFlight, Func<int, Task<T>> call)
    {
        var next = -1;
        var latencies = new List<double>[inFlight];
        var sw = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, inFlight).Select(async loop =>
        {
            var mine = latencies[loop] = new List<double>(calls / inFlight + 1);
            int n;
            while ((n = Interlocked.Increment(ref next)) < calls)
            {
                var start = Stopwatch.GetTimestamp();
                await call(n);
                mine.Add(Stopwatch.GetElapsedTime(start).TotalMicroseconds);
            }
        }));
        var elapsed = sw.Elapsed;
        return Measurement.Of(scenario, calls, 0, elapsed, [.. latencies.SelectMany(l => l)]);
    }

    private static async Task<IHost> StartSiloAsync(int port)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.UseEffluxSilo(o => o.Port = port);
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    /// <summary>The far end of the bare echo: runs the request on a plain object, no catalog or scheduling.</summary>
    private sealed class BareEcho : IInboundCalls
    {
        private readonly PlainEcho _echo = new();

        public IGrainCallInvoker References { get; } = new NoReferences();

        public void Call(GrainId target, GrainRequest request, InboundCall call) => call.AnswerWhen(request.InvokeAndWriteResultAsync(_echo, call.Response));

        public Task OneWayAsync(GrainId target, GrainRequest request) => Task.CompletedTask;

        public void Hello(Connection connection, string identity)
        {
        }
    }

    /// <summary>The near end of the bare echo: proxy calls go straight onto one connection.</summary>
    private sealed class ConnectionInvoker(Connection connection) : IGrainCallInvoker
    {
        public Task<TResult> InvokeAsync<TResult>(GrainId target, GrainRequest<TResult> request)
            => connection.CallAsync(target, request, TimeSpan.FromSeconds(30), TimeProvider.System);

        public void InvokeOneWay(GrainId target, GrainRequest request) => _ = connection.SendOneWayAsync(target, request);
    }

    /// <summary>The bare echo carries no grain references.</summary>
    private sealed class NoReferences : IGrainCallInvoker
    {
        public Task<TResult> InvokeAsync<TResult>(GrainId target, GrainRequest<TResult> request) => throw new NotSupportedException("The bare echo carries no grain references.");

        public void InvokeOneWay(GrainId target, GrainRequest request) => throw new NotSupportedException("The bare echo carries no grain references.");
    }
}
