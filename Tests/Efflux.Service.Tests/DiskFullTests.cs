using System.Diagnostics;
using System.Net;
using System.Text;
using Xunit.Abstractions;

namespace Efflux.Service.Tests;

/// <summary>
/// A silo whose data directory is on a real 4 MiB tmpfs that fills up: the partition refuses appends with a 503 that
/// names no server path, readiness says which partition is read-only, and once space is freed the partition reopens by
/// itself, with every acknowledged message still there. Needs root (to mount); fails, saying why, when it cannot mount.
/// </summary>
[Collection(SiloProcessCollection.Name)]
public sealed class DiskFullTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly string _mount = Path.Combine(Path.GetTempPath(), "efflux-tmpfs-" + Guid.NewGuid().ToString("N"));

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_mount);
        var (code, text) = await RunAsync("mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", _mount);
        output.WriteLine(code == 0 ? $"mounted a 4 MiB tmpfs at {_mount}" : $"mounting a tmpfs at {_mount} failed ({code}): {text}");
        Assert.True(code == 0, $"this test needs to mount a tmpfs (as root): mount exited {code}: {text}");
    }

    public async Task DisposeAsync()
    {
        await RunAsync("umount", _mount);
        Directory.Delete(_mount, recursive: true);
    }

    private static async Task<(int Code, string Text)> RunAsync(string program, params string[] args)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        using var p = Process.Start(info)!;
        var text = await p.StandardError.ReadToEndAsync() + await p.StandardOutput.ReadToEndAsync();
        await p.WaitForExitAsync();
        return (p.ExitCode, text);
    }

    private static StringContent Batch(int from) => new(
        "{\"messages\":[" + string.Join(",", Enumerable.Range(from, 50).Select(i => $"{{\"id\":\"m{i}\",\"data\":\"{new string('x', 1000)}\"}}")) + "]}",
        Encoding.UTF8,
        "application/json");

    [Fact]
    public async Task AFullDisk_MakesThePartitionReadOnly_NamesNoPath_ShowsInReadiness_AndHealsOnceThereIsRoom()
    {
        // Room to give back later.
        var filler = Path.Combine(_mount, "filler");
        await File.WriteAllBytesAsync(filler, new byte[1 << 20]);
        await using var silo = await InProcessSilo.StartInAsync(Path.Combine(_mount, "data"));
        using (var created = await silo.Http.PutAsync("/v1/topics/disk/t", new StringContent("""{"partitions":1}""", Encoding.UTF8, "application/json")))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        var acknowledged = 0;
        string detail;
        while (true)
        {
            using var response = await silo.Http.PostAsync("/v1/topics/disk/t/messages", Batch(acknowledged));
            if (response.StatusCode == HttpStatusCode.Created)
            {
                acknowledged += 50;
                Assert.True(acknowledged < 10_000, "4 MiB never filled up");
                continue;
            }

            detail = await Problems.AssertProblem(response, HttpStatusCode.ServiceUnavailable, "append to a full disk");
            break;
        }

        output.WriteLine($"{acknowledged} messages acknowledged before the disk was full; the refusal: {detail}");
        Assert.Contains("disk full", detail, StringComparison.Ordinal);
        Assert.DoesNotContain(_mount, detail, StringComparison.Ordinal);
        Assert.DoesNotContain("/", detail.Replace("disk/t", "", StringComparison.Ordinal), StringComparison.Ordinal);

        using (var ready = await silo.Http.GetAsync("/health/ready"))
        {
            var body = await ready.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
            Assert.Contains("disk/t/0", body, StringComparison.Ordinal);
            Assert.DoesNotContain(_mount, body, StringComparison.Ordinal);
        }

        // Room again: the partition reopens by itself (no restart) and takes appends.
        File.Delete(filler);
        await Eventually.Succeeds(async () =>
        {
            using var response = await silo.Http.PostAsync("/v1/topics/disk/t/messages", Batch(acknowledged));
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            return true;
        });
        using (var ready = await silo.Http.GetAsync("/health/ready"))
        {
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        }

        var verify = await Problems.Json(await silo.Http.GetAsync("/v1/topics/disk/t/partitions/0/verify"));
        Assert.True(verify.GetProperty("ok").GetBoolean(), verify.GetRawText());
        Assert.True(verify.GetProperty("records").GetInt64() >= acknowledged + 50);
        for (var i = 0; i < acknowledged; i += 997)
        {
            using var byId = await silo.Http.GetAsync($"/v1/topics/disk/t/messages/by-id/m{i}");
            Assert.Equal(HttpStatusCode.OK, byId.StatusCode);
        }
    }
}
