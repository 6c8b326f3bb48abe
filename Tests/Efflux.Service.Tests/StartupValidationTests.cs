using System.Diagnostics;
using System.Globalization;

namespace Efflux.Service.Tests;

/// <summary>
/// A silo process given a bad setting stops at start, with a non-zero exit and a message that names the key; so does a
/// silo without authentication asked to listen beyond loopback.
/// </summary>
public sealed class StartupValidationTests
{
    [Theory]
    [InlineData("--Efflux:MaxWait=-00:00:01", "Efflux:MaxWait must be 1 ms to 1 hour")]
    [InlineData("--Efflux:QueryShards=0", "Efflux:QueryShards must be 1 to 64")]
    [InlineData("--Efflux:SegmentBytes=10", "Efflux:SegmentBytes must be 4096")]
    [InlineData("--Efflux:ZeroAheadBytes=-1", "Efflux:ZeroAheadBytes must be 0 to 67108864")]
    [InlineData("--Efflux:UnsyncedFlushInterval=00:00:00.001", "Efflux:UnsyncedFlushInterval must be 10 ms to 1 hour")]
    [InlineData("--Efflux:MaxCallBytes=67108864", "Efflux:MaxCallBytes (67108864) must leave 1 MiB beyond Efflux:MaxMessageBytes")]
    [InlineData("--Efflux:SiloPort=70000", "Efflux:SiloPort must be 1 to 65535")]
    [InlineData("--Efflux:GrainStorage:Provider=sql", "Efflux:GrainStorage:Provider must be file, memory or azureblob")]
    [InlineData("--Efflux:Ui:SampleInterval=00:00:00.001", "Efflux:Ui:SampleInterval must be 100 ms to 1 minute")]
    [InlineData("--Efflux:Limits:MaxRequestHeaders=1", "Efflux:Limits:MaxRequestHeaders must be 8 to 1000")]
    [InlineData("--Efflux:Auth:Keys:0:Grants:0=orders=read", "Efflux:Auth:Keys:0: a key needs an id, a name, a hash")]

    // 192.0.2.10 (TEST-NET-1) is no address of this host: were the refusal missing, binding would fail with another message.
    [InlineData("--urls=http://192.0.2.10:5999", "without authentication")]
    [InlineData("--Kestrel:Endpoints:Public:Url=http://192.0.2.10:5998", "Efflux:Auth:AllowAnonymous=true")]
    public async Task ABadSetting_StopsTheSiloAtStart_NamingTheKey(string setting, string message)
    {
        var data = Path.Combine(Path.GetTempPath(), "efflux-bad-setting-" + Guid.NewGuid().ToString("N"));
        List<string> args =
        [
            "--urls", $"http://127.0.0.1:{LoopbackPort.Free()}",
            $"--Efflux:SiloPort={LoopbackPort.Free().ToString(CultureInfo.InvariantCulture)}",
            $"--Efflux:GatewayPort={LoopbackPort.Free().ToString(CultureInfo.InvariantCulture)}",
            $"--Efflux:DataDirectory={data}",
            setting,
        ];
        if (setting.StartsWith("--Efflux:MaxCallBytes", StringComparison.Ordinal))
        {
            // The largest allowed payload, so that this call limit leaves no room beside it.
            args.Add("--Efflux:MaxMessageBytes=67108864");
        }

        var info = Programs.Dotnet(Programs.Path("Silo", "Efflux.Silo"), [.. args]);
        using var process = Process.Start(info) ?? throw new InvalidOperationException("the silo did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            Assert.Fail($"the silo was still running 60 s after starting with {setting}");
        }

        var text = await output + await error;
        Assert.NotEqual(0, process.ExitCode);
        Assert.Contains(message, text, StringComparison.Ordinal);
        if (Directory.Exists(data))
        {
            Directory.Delete(data, recursive: true);
        }
    }
}
