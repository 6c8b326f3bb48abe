using System.Diagnostics;
using System.Globalization;

namespace Efflux.Service.Tests;

/// <summary>
/// A real silo process (<c>dotnet Efflux.Silo.dll</c>) in cluster mode on Redis, on free loopback ports with its own
/// data directory, keeping grain state in Azure blobs (Azurite) shared with its cluster, with fast failure detection.
/// It can be killed with SIGKILL and started again on the same ports, name and data.
/// </summary>
public sealed class SiloProcess : IAsyncDisposable
{
    private readonly string[] _args;
    private Process? _process;

    /// <summary>A silo of a cluster on Redis with its grain state on Azure blobs (Azurite).</summary>
    public SiloProcess(string redis, string clusterId, string blobConnectionString, string dataDirectory)
        : this(dataDirectory,
        [
            $"--Efflux:Cluster:Redis={redis}",
            $"--Efflux:Cluster:Id={clusterId}",
            "--Efflux:GrainStorage:Provider=azureblob",
            $"--Efflux:GrainStorage:ConnectionString={blobConnectionString}",
            "--Efflux:Membership:ProbeTimeout=00:00:01",
            "--Efflux:Membership:NumMissedProbesLimit=2",
            "--Efflux:Membership:NumVotesForDeathDeclaration=1",
            "--Efflux:Membership:TableRefreshTimeout=00:00:01",
            "--Efflux:Membership:IAmAliveTablePublishTimeout=00:00:05",
        ])
    {
    }

    /// <summary>An embedded silo (a cluster of its own) with extra <c>--key=value</c> settings.</summary>
    public SiloProcess(string dataDirectory, string[] settings)
    {
        HttpPort = LoopbackPort.Free();
        GatewayPort = LoopbackPort.Free();
        SiloPort = LoopbackPort.Free();
        SiloName = "silo-" + SiloPort.ToString(CultureInfo.InvariantCulture);
        DataDirectory = dataDirectory;
        _args =
        [
            "--urls", $"http://127.0.0.1:{HttpPort}",
            $"--Efflux:GatewayPort={GatewayPort}",
            $"--Efflux:SiloPort={SiloPort}",
            $"--Efflux:SiloName={SiloName}",
            $"--Efflux:DataDirectory={dataDirectory}",
            "--Efflux:Dashboard:Enabled=false",
            "--Logging:LogLevel:Default=Warning",
            .. settings,
        ];
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{HttpPort}"), Timeout = TimeSpan.FromSeconds(60) };
    }

    public int HttpPort { get; }

    /// <summary>The running process's id.</summary>
    public int ProcessId => _process?.Id ?? throw new InvalidOperationException("the silo is not running");

    public int GatewayPort { get; }

    public int SiloPort { get; }

    /// <summary>The silo's stable name (partitions are placed by it).</summary>
    public string SiloName { get; }

    public string DataDirectory { get; }

    public HttpClient Http { get; }

    public string Gateway => "127.0.0.1:" + GatewayPort.ToString(CultureInfo.InvariantCulture);

    /// <summary>Starts the process and waits until /health/ready answers 200.</summary>
    public async Task StartAsync()
    {
        var dll = Programs.Path("Silo", "Efflux.Silo");
        var info = Programs.Dotnet(dll, _args);

        info.WorkingDirectory = Path.GetDirectoryName(dll)!;
        _process = Process.Start(info) ?? throw new InvalidOperationException("the silo process did not start");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            Assert.False(_process.HasExited, $"the silo exited with code {(_process.HasExited ? _process.ExitCode : 0)}");
            try
            {
                using var ready = await Http.GetAsync("/health/ready");
                if (ready.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            Assert.True(DateTime.UtcNow < deadline, "the silo did not become ready within 60 s");
            await Task.Delay(100);
        }
    }

    /// <summary>SIGKILL: no shutdown, no flush.</summary>
    public void Kill()
    {
        if (_process is { HasExited: false } p)
        {
            p.Kill();
            p.WaitForExit();
        }
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        _process?.Dispose();
        Http.Dispose();
        return ValueTask.CompletedTask;
    }
}
