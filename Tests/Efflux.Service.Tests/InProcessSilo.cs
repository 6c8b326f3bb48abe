using System.Globalization;
using Efflux.Client;
using Efflux.Silo;
using Microsoft.AspNetCore.Builder;

namespace Efflux.Service.Tests;

/// <summary>
/// A whole Orleans silo (grains, REST facade) in this process on free loopback ports with its own data directory,
/// reached over real HTTP and the real gateway. It can be stopped and started again on the same directory and ports.
/// </summary>
public sealed class InProcessSilo : IAsyncDisposable
{
    private readonly string[] _extra;
    private WebApplication? _app;

    private InProcessSilo(string directory, string[] extra)
    {
        DataDirectory = directory;
        _extra = extra;
        HttpPort = LoopbackPort.Free();
        GatewayPort = LoopbackPort.Free();
        SiloPort = LoopbackPort.Free();
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{HttpPort}"), Timeout = TimeSpan.FromSeconds(60) };
    }

    public string DataDirectory { get; }

    public int HttpPort { get; }

    public int GatewayPort { get; }

    public int SiloPort { get; }

    /// <summary>The silo's stable name (partitions are placed by it).</summary>
    public string SiloName => "silo-" + SiloPort.ToString(CultureInfo.InvariantCulture);

    public HttpClient Http { get; }

    /// <summary>The running silo's services.</summary>
    public IServiceProvider Services => _app?.Services ?? throw new InvalidOperationException("the silo is not running");

    public string Gateway => "127.0.0.1:" + GatewayPort.ToString(CultureInfo.InvariantCulture);

    /// <summary>Starts a silo on a fresh temporary data directory; <paramref name="settings"/> are extra <c>--key=value</c> arguments.</summary>
    public static async Task<InProcessSilo> StartAsync(params string[] settings)
    {
        var silo = new InProcessSilo(Path.Combine(Path.GetTempPath(), "efflux-silo-" + Guid.NewGuid().ToString("N")), settings);
        await silo.StartAgainAsync();
        return silo;
    }

    /// <summary>Starts a silo whose data directory is <paramref name="directory"/>.</summary>
    public static async Task<InProcessSilo> StartInAsync(string directory, params string[] settings)
    {
        var silo = new InProcessSilo(directory, settings);
        await silo.StartAgainAsync();
        return silo;
    }

    /// <summary>Starts the silo (again) on the same directory and ports.</summary>
    public async Task StartAgainAsync()
    {
        _app = SiloApp.Build(
        [
            "--urls", $"http://127.0.0.1:{HttpPort}",
            $"--Efflux:GatewayPort={GatewayPort}",
            $"--Efflux:SiloPort={SiloPort}",
            $"--Efflux:SiloName={SiloName}",
            $"--Efflux:DataDirectory={DataDirectory}",
            "--Logging:LogLevel:Default=Warning",
            .. _extra,
        ]);
        await _app.StartAsync();
    }

    /// <summary>Stops gracefully (drains, deactivates every grain).</summary>
    public async Task StopAsync()
    {
        if (_app is { } app)
        {
            _app = null;
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    public async Task<EffluxClient> ConnectAsync() => await EffluxClient.ConnectAsync(Gateway);

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        Http.Dispose();
        if (Directory.Exists(DataDirectory))
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
    }
}
