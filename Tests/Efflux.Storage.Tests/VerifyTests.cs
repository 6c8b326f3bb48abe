using System.Text;
using Efflux.Format;

namespace Efflux.Storage.Tests;

/// <summary>The live, parallel verification and the metadata fast path agree with the sequential definition.</summary>
public sealed class VerifyTests
{
    private const long Victim = 31_337;

    [Fact]
    public async Task Verify_LargeLogInParallelPieces_FindsTheExactFlippedRecordAndHonoursRanges()
    {
        using var dir = new TempDir();
        var options = new PartitionLogOptions { SegmentMaxBytes = 1 << 20 };
        await using (var log = await Logs.OpenAsync(dir, options))
        {
            var batch = Enumerable.Range(0, 1000).Select(i => new AppendMessage(Logs.Payload(i, 64))).ToList();
            for (var b = 0; b < 40; b++)
            {
                await log.AppendBatchAsync(batch, Durability.Leader);
            }

            var report = log.Verify();
            Assert.True(report.Ok, report.Reason);
            Assert.Equal(40_000, report.Records);
            Assert.Equal(log.GetHead().Fingerprint, report.HeadFingerprint);
            var range = log.Verify(12_345, 23_456);
            Assert.True(range.Ok);
            Assert.Equal(23_456 - 12_345 + 1, range.Records);

            // Damage record 31_337 under the open log and verify it live, in parallel pieces.
            var files = PartitionLog.ListSegments(dir.Partition());
            var (baseOffset, path) = files.Last(f => f.BaseOffset <= Victim);
            var bytes = File.ReadAllBytes(path);
            var starts = RecoveryTests.Segment(bytes);
            bytes[starts[Victim - baseOffset] + 60] ^= 0x04;
            await using (var fs = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete))
            {
                await fs.WriteAsync(bytes);
            }

            var live = log.Verify();
            Assert.False(live.Ok);
            Assert.Equal(Victim, live.FirstBadOffset);
            Assert.Equal(Victim, live.Records);
            Assert.True(log.Verify(0, Victim - 1).Ok);
        }

        File.Delete(Path.Combine(dir.Partition(), "recovery.ckpt"));
        await Assert.ThrowsAsync<CorruptLogException>(() => Logs.OpenAsync(dir, options));
        var offline = Integrity.LogVerifier.VerifyPartition(dir.Partition());
        Assert.False(offline.Ok);
        Assert.Equal(Victim, offline.FirstBadOffset);
        Assert.Equal(Victim, offline.Records);
    }

    [Theory]
    [InlineData("{\"Id\":\"a\",\"Offset\":7,\"Created\":\"2026-01-01T00:00:00.0000000Z\",\"PayloadHash\":\"H\",\"LinkedFingerprint\":\"H\"}", 7L)]
    [InlineData("{\"Id\":\"a\",\"Offset\":7,\"Created\":\"2026-01-01T00:00:00.0000000Z\",\"Timestamp\":\"2020-01-01T00:00:00.0000000Z\",\"PayloadHash\":\"H\",\"LinkedFingerprint\":\"H\"}", 7L)]
    [InlineData("{\"Id\":\"a\\\"b\",\"Offset\":8,\"Created\":\"2026-01-01T00:00:00.0000000Z\",\"PayloadHash\":\"H\",\"LinkedFingerprint\":\"H\"}", 8L)]
    [InlineData("{\"Id\":\"é\",\"Offset\":9,\"Created\":\"2026-01-01T00:00:00.0000000Z\",\"PayloadHash\":\"H\",\"LinkedFingerprint\":\"H\",\"DataType\":\"x\"}", 9L)]
    [InlineData("{\"Offset\":10,\"LinkedFingerprint\":\"H\",\"Id\":\"a\",\"PayloadHash\":\"H\",\"Created\":\"x\"} ", 10L)]
    [InlineData("{\"Id\":\"a\",\"Offset\":07,\"Created\":\"2026-01-01T00:00:00.0000000Z\",\"PayloadHash\":\"H\",\"LinkedFingerprint\":\"H\"}", null)]
    [InlineData("{\"Id\":\"a\",\"Offset\":7,\"Created\":\"2026-01-01T00:00:00.0000000Z\",\"PayloadHash\":\"H\",\"LinkedFingerprint\":\"H\"}}", null)]
    [InlineData("{\"Id\":\"a\",\"Offset\":7,\"Created\":\"2026-01-01T00:00:00.0000000Z\",\"PayloadHash\":\"H\"}", null)]
    [InlineData("{\"Id\":\"a\",\"Offset\":\"7\",\"Created\":\"2026-01-01T00:00:00.0000000Z\",\"PayloadHash\":\"H\",\"LinkedFingerprint\":\"H\"}", null)]
    public void TryReadChainFields_CanonicalAndOtherForms_AgreeWithJson(string template, long? expectedOffset)
    {
        var hash = Convert.ToBase64String(Enumerable.Range(0, 32).Select(i => (byte)i).ToArray());
        var json = Encoding.UTF8.GetBytes(template.Replace("\"H\"", $"\"{hash}\"", StringComparison.Ordinal));
        var payloadHash = new byte[32];
        var linked = new byte[32];
        var ok = MetadataReader.TryReadChainFields(json, out var offset, payloadHash, linked);
        Assert.Equal(expectedOffset is not null, ok);
        if (ok)
        {
            Assert.Equal(expectedOffset, offset);
            Assert.Equal(Convert.FromBase64String(hash), payloadHash);
            Assert.Equal(Convert.FromBase64String(hash), linked);
        }
    }

    [Fact]
    public async Task ReadBatch_HugeMaxCount_IsCappedPerCall()
    {
        using var dir = new TempDir();
        await using var log = await Logs.OpenAsync(dir);
        var batch = Enumerable.Range(0, 10_000).Select(i => new AppendMessage(new byte[8])).ToList();
        await log.AppendBatchAsync(batch);
        var first = log.ReadBatch(0, int.MaxValue, long.MaxValue);
        Assert.Equal(PartitionLog.MaxRecordsPerRead, first.Count);
        Assert.Equal(10_000 - PartitionLog.MaxRecordsPerRead, log.ReadBatch(first.Count, int.MaxValue, long.MaxValue).Count);
    }
}
