using System.Text.Json;

namespace Efflux.Storage.Tests;

/// <summary>The real <c>efflux</c> binary, run as a child process against real data directories.</summary>
public sealed class CliTests
{
    [Fact]
    public async Task Verify_HealthyTornAndDamaged_ReportsJsonAndExitCode()
    {
        using var dir = new TempDir();
        await using (var log = await Logs.OpenAsync(dir, topic: "a"))
        {
            await Logs.AppendManyAsync(log, 30);
        }

        await using (var log = await Logs.OpenAsync(dir, topic: "b", partition: 3))
        {
            await Logs.AppendManyAsync(log, 10);
        }

        var ok = Programs.Efflux("verify", dir.Path, "--json");
        Assert.Equal(0, ok.ExitCode);
        using (var doc = JsonDocument.Parse(ok.Stdout))
        {
            var parts = doc.RootElement.GetProperty("partitions").EnumerateArray().ToList();
            Assert.Equal(2, parts.Count);
            Assert.Equal("ns/a/0", parts[0].GetProperty("path").GetString());
            Assert.Equal(30, parts[0].GetProperty("records").GetInt64());
            Assert.True(parts[0].GetProperty("ok").GetBoolean());
            Assert.Equal(JsonValueKind.Null, parts[0].GetProperty("firstBadOffset").ValueKind);
            Assert.Equal(JsonValueKind.Null, parts[0].GetProperty("reason").ValueKind);
            Assert.Equal(0, parts[0].GetProperty("tornTailBytes").GetInt64());
            Assert.Equal("ns/b/3", parts[1].GetProperty("path").GetString());
        }

        // A torn tail is reported and is not a failure.
        var fileB = Logs.SegmentFiles(dir, topic: "b", partition: 3)[0];
        File.AppendAllText(fileB, "\u0005\u0001\u0014");
        var torn = Programs.Efflux("verify", dir.Partition(topic: "b", partition: 3), "--json");
        Assert.Equal(0, torn.ExitCode);
        using (var doc = JsonDocument.Parse(torn.Stdout))
        {
            Assert.Equal(3, doc.RootElement.GetProperty("partitions")[0].GetProperty("tornTailBytes").GetInt64());
        }

        // One flipped bit fails the run and names the offset.
        var fileA = Logs.SegmentFiles(dir, topic: "a")[0];
        var bytes = File.ReadAllBytes(fileA);
        var starts = RecoveryTests.Segment(bytes);
        bytes[starts[12] + 100] ^= 0x10;
        File.WriteAllBytes(fileA, bytes);
        var bad = Programs.Efflux("verify", dir.Path, "--json");
        Assert.Equal(1, bad.ExitCode);
        using (var doc = JsonDocument.Parse(bad.Stdout))
        {
            var a = doc.RootElement.GetProperty("partitions")[0];
            Assert.False(a.GetProperty("ok").GetBoolean());
            Assert.Equal(12, a.GetProperty("firstBadOffset").GetInt64());
            Assert.False(string.IsNullOrEmpty(a.GetProperty("reason").GetString()));
        }

        var table = Programs.Efflux("verify", dir.Path);
        Assert.Equal(1, table.ExitCode);
        Assert.Contains("first bad offset 12", table.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_WithCheckpoint_FailsAfterTruncation()
    {
        using var dir = new TempDir();
        using var key = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        var checkpointFile = Path.Combine(dir.Path, "head.json");
        await using (var log = await Logs.OpenAsync(dir))
        {
            await Logs.AppendManyAsync(log, 10);
            await File.WriteAllTextAsync(checkpointFile, log.ExportCheckpoint(key).ToJson());
        }

        Assert.Equal(0, Programs.Efflux("verify", dir.Partition(), "--checkpoint", checkpointFile).ExitCode);
        var file = Logs.SegmentFiles(dir)[0];
        var bytes = File.ReadAllBytes(file);
        File.WriteAllBytes(file, bytes[..RecoveryTests.Segment(bytes)[^2]]);
        var result = Programs.Efflux("verify", dir.Partition(), "--checkpoint", checkpointFile, "--json");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("truncated", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dump_PrintsMetadataAndPreview()
    {
        using var dir = new TempDir();
        await using (var log = await Logs.OpenAsync(dir))
        {
            await log.AppendAsync(new AppendMessage("{\"hello\":\"world\"}"u8.ToArray()) { Id = "first", DataType = "greeting", ContentType = "application/json" });
            await log.AppendAsync(new AppendMessage(new byte[] { 0, 1, 2, 255 }) { Id = "second" });
            await log.AppendAsync(Logs.Text("third", "third"));
        }

        var json = Programs.Efflux("dump", dir.Partition(), "--from", "1", "--count", "1", "--json");
        Assert.Equal(0, json.ExitCode);
        using var doc = JsonDocument.Parse(json.Stdout.Trim());
        Assert.Equal(1, doc.RootElement.GetProperty("offset").GetInt64());
        Assert.Equal("second", doc.RootElement.GetProperty("id").GetString());
        Assert.Equal("0x000102FF", doc.RootElement.GetProperty("payloadPreview").GetString());

        var text = Programs.Efflux("dump", dir.Partition());
        Assert.Equal(0, text.ExitCode);
        Assert.Contains("#0 id=first", text.Stdout, StringComparison.Ordinal);
        Assert.Contains("{\"hello\":\"world\"}", text.Stdout, StringComparison.Ordinal);
        Assert.Contains("#2 id=third", text.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Commands_BadInput_ExitNonZeroWithAMessage()
    {
        using var dir = new TempDir();
        var missing = Programs.Efflux("verify", Path.Combine(dir.Path, "nope"));
        Assert.NotEqual(0, missing.ExitCode);
        Assert.Contains("not a directory", missing.Stderr, StringComparison.Ordinal);
        var empty = Programs.Efflux("dump", dir.Path);
        Assert.NotEqual(0, empty.ExitCode);
        Assert.NotEmpty(empty.Stderr);
    }
}
