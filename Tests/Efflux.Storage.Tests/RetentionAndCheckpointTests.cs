using System.Security.Cryptography;
using Efflux.Storage.Integrity;

namespace Efflux.Storage.Tests;

public sealed class RetentionAndCheckpointTests
{
    [Fact]
    public async Task ApplyRetention_BySize_DeletesWholeOldSegmentsAndTheRestVerifies()
    {
        using var dir = new TempDir();
        var options = new PartitionLogOptions { SegmentMaxBytes = 4096, RetentionBytes = 10_000 };
        await using (var log = await Logs.OpenAsync(dir, options))
        {
            await Logs.AppendManyAsync(log, 200, 150);
            var before = log.SegmentCount;
            var removed = log.ApplyRetention();
            Assert.True(removed > 0);
            Assert.Equal(before - removed, log.SegmentCount);
            Assert.True(log.TotalBytes <= 10_000 + 4096);
            Assert.True(log.StartOffset > 0);
            var report = log.Verify();
            Assert.True(report.Ok, report.Reason);
            Assert.Equal(200 - log.StartOffset, report.Records);
        }

        Assert.True(LogVerifier.VerifyPartition(dir.Partition()).Ok);
        await using var reopened = await Logs.OpenAsync(dir, options);
        Assert.Equal(200, reopened.NextOffset);
    }

    [Fact]
    public async Task ApplyRetention_ByAge_KeepsYoungSegmentsAndTheActiveOne()
    {
        using var dir = new TempDir();
        var clock = new ManualClock(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        await using var log = await Logs.OpenAsync(dir, new PartitionLogOptions { SegmentMaxBytes = 4096, RetentionAge = TimeSpan.FromDays(1), TimeProvider = clock });
        await Logs.AppendManyAsync(log, 60, 150, "old");
        clock.Advance(TimeSpan.FromDays(2));
        var firstYoung = log.NextOffset;
        await Logs.AppendManyAsync(log, 60, 150, "young");
        log.ApplyRetention();
        Assert.InRange(log.StartOffset, firstYoung - 30, firstYoung);
        clock.Advance(TimeSpan.FromDays(2));
        log.ApplyRetention();
        Assert.Equal(1, log.SegmentCount);
        Assert.True(log.Verify().Ok);
    }

    [Fact]
    public async Task Verify_SegmentRemovedBehindRetentionsBack_IsReported()
    {
        using var dir = new TempDir();
        await using (var log = await Logs.OpenAsync(dir, new PartitionLogOptions { SegmentMaxBytes = 4096 }))
        {
            await Logs.AppendManyAsync(log, 100, 150);
        }

        File.Delete(Logs.SegmentFiles(dir)[0]);
        var report = LogVerifier.VerifyPartition(dir.Partition());
        Assert.False(report.Ok);
        Assert.Contains("retention.json", report.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignedCheckpoint_DetectsTruncationAndTailRewrite()
    {
        using var dir = new TempDir();
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        SignedCheckpoint checkpoint;
        await using (var log = await Logs.OpenAsync(dir))
        {
            await Logs.AppendManyAsync(log, 20);
            checkpoint = log.ExportCheckpoint(key);
            Assert.Equal(19, checkpoint.Offset);
            Assert.True(checkpoint.HasValidSignature(key));
            Assert.True(log.Verify(checkpoint: checkpoint).Ok);
            await Logs.AppendManyAsync(log, 5, prefix: "more");
            Assert.True(log.Verify(checkpoint: checkpoint).Ok);
        }

        var parsed = SignedCheckpoint.Parse(checkpoint.ToJson());
        Assert.Equal(checkpoint, parsed);
        Assert.True(LogVerifier.VerifyPartition(dir.Partition(), parsed).Ok);

        // Tail rewrite: a partition rebuilt with different records re-chains perfectly, but not to the checkpoint.
        using var forged = new TempDir();
        await using (var log = await Logs.OpenAsync(forged))
        {
            await Logs.AppendManyAsync(log, 15);
            await Logs.AppendManyAsync(log, 10, prefix: "forged");
        }

        var rewritten = LogVerifier.VerifyPartition(forged.Partition(), parsed);
        Assert.True(LogVerifier.VerifyPartition(forged.Partition()).Ok);
        Assert.False(rewritten.Ok);
        Assert.Contains("rewritten", rewritten.Reason, StringComparison.Ordinal);

        // Truncation: a shorter partition with a valid chain.
        using var shorter = new TempDir();
        await using (var log = await Logs.OpenAsync(shorter))
        {
            await Logs.AppendManyAsync(log, 10);
        }

        var truncated = LogVerifier.VerifyPartition(shorter.Partition(), parsed);
        Assert.False(truncated.Ok);
        Assert.Contains("truncated", truncated.Reason, StringComparison.Ordinal);

        // A tampered checkpoint fails its signature.
        var tampered = parsed with { Offset = 5 };
        Assert.False(tampered.HasValidSignature());
        Assert.False(LogVerifier.VerifyPartition(dir.Partition(), tampered).Ok);
    }

    [Fact]
    public async Task Roll_BySizeAndAge_FirstRecordOfEachFileLinksToThePrevious()
    {
        using var dir = new TempDir();
        var clock = new ManualClock(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        await using var log = await Logs.OpenAsync(dir, new PartitionLogOptions { SegmentMaxBytes = 1 << 20, SegmentMaxAge = TimeSpan.FromHours(1), TimeProvider = clock });
        await Logs.AppendManyAsync(log, 5);
        clock.Advance(TimeSpan.FromHours(2));
        await Logs.AppendManyAsync(log, 5, prefix: "b");
        Assert.Equal(2, log.SegmentCount);
        var files = Logs.SegmentFiles(dir);
        Assert.Equal("00000000000000000005.log", Path.GetFileName(files[1]));
        Assert.Equal(log.Read(4)!.Fingerprint.ToArray(), log.Read(5)!.Metadata.LinkedFingerprint);
    }
}
