using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Efflux.Testing;

/// <summary>
/// A real Azurite blob service (npm package azurite) on a free loopback port with its own temporary data directory.
/// Starting fails (so the test fails) when azurite-blob is missing or does not listen within 30 seconds.
/// </summary>
public sealed class AzuriteServer : IDisposable
{
    private const string DevelopmentKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "efflux-azurite-" + Guid.NewGuid().ToString("N"));
    private Process? _process;

    private AzuriteServer(int port)
    {
        Port = port;
    }

    public int Port { get; }

    /// <summary>The well-known development account's connection string, pointing at this server.</summary>
    public string ConnectionString => string.Create(CultureInfo.InvariantCulture, $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={DevelopmentKey};BlobEndpoint=http://127.0.0.1:{Port}/devstoreaccount1;");

    public static async Task<AzuriteServer> StartAsync()
    {
        var port = LoopbackPort.Free();
        var server = new AzuriteServer(port);
        Directory.CreateDirectory(server._directory);
        var info = new ProcessStartInfo("azurite-blob") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "--blobHost", "127.0.0.1", "--blobPort", port.ToString(CultureInfo.InvariantCulture), "--location", server._directory, "--silent", "--skipApiVersionCheck", "--loose", "--disableTelemetry" })
        {
            info.ArgumentList.Add(arg);
        }

        server._process = Process.Start(info) ?? throw new InvalidOperationException("azurite-blob did not start.");
        server._process.BeginOutputReadLine();
        server._process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!await ListeningAsync(port))
        {
            if (server._process.HasExited || DateTime.UtcNow > deadline)
            {
                server.Dispose();
                throw new InvalidOperationException($"Azurite did not listen on port {port}.");
            }

            await Task.Delay(100);
        }

        return server;
    }

    public void Dispose()
    {
        if (_process is { HasExited: false } p)
        {
            p.Kill(entireProcessTree: true);
            p.WaitForExit();
        }

        _process?.Dispose();
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private static async Task<bool> ListeningAsync(int port)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
