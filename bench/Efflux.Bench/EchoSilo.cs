using System.Diagnostics;
using Efflux.Client;
using Efflux.Testing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Efflux.Bench;

/// <summary>
/// The Orleans floor under the SDK's calls: a silo process that hosts only <see cref="EchoGrain"/> (this program,
/// started with <c>echo-silo</c>), configured like the Efflux silo's embedded mode and run as it ships (<see cref="ServiceBench.AsShipped"/>), called from this process through an
/// Orleans client exactly as the SDK calls the Efflux silo.
/// </summary>
internal static class EchoSilo
{
    /// <summary>Runs the echo silo until stdin closes (the bench's own child process).</summary>
    public static async Task<int> RunAsync(int siloPort, int gatewayPort)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.UseOrleans(silo => silo.UseLocalhostClustering(siloPort, gatewayPort, serviceId: "efflux", clusterId: "efflux"));
        using var host = builder.Build();
        await host.StartAsync();
        Console.WriteLine("ready");
        await Console.In.ReadToEndAsync();
        await host.StopAsync();
        return 0;
    }

    /// <summary>Client→silo echo calls at 1 and at <paramref name="wide"/> in flight.</summary>
    public static async Task<List<Measurement>> MeasureAsync(int calls, int wide)
    {
        var siloPort = LoopbackPort.Free();
        var gatewayPort = LoopbackPort.Free();
        var info = ServiceBench.AsShipped(new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardInput = true, UseShellExecute = false });
        foreach (var a in new[] { typeof(EchoSilo).Assembly.Location, "echo-silo", siloPort.ToString(System.Globalization.CultureInfo.InvariantCulture), gatewayPort.ToString(System.Globalization.CultureInfo.InvariantCulture) })
        {
            info.ArgumentList.Add(a);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException("the echo silo did not start");
        try
        {
            if (await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60)) != "ready")
            {
                throw new InvalidOperationException("the echo silo did not become ready");
            }

            await using var client = await EffluxClient.ConnectAsync($"127.0.0.1:{gatewayPort}");
            var echoes = Enumerable.Range(0, 64).Select(i => client.Cluster.GetGrain<IEchoGrain>("c" + i)).ToArray();
            await Driver.WarmAsync(() => Driver.DriveAsync("warm-up", 100_000, wide, n => echoes[n % echoes.Length].PingAsync(n)), process.Id);
            return
            [
                await Driver.DriveAsync("orleans echo grain, client→silo, 1 in flight", calls / 20, 1, n => echoes[n % echoes.Length].PingAsync(n)),
                await Driver.DriveAsync($"orleans echo grain, client→silo, {wide} in flight", calls, wide, n => echoes[n % echoes.Length].PingAsync(n)),
            ];
        }
        finally
        {
            process.StandardInput.Close();
            if (!process.WaitForExit(20_000))
            {
                process.Kill();
            }
        }
    }
}
