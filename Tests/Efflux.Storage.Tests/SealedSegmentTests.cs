namespace Efflux.Storage.Tests;

/// <summary>A partition of 200 records in many small segments, and its sealed segments opened on their own.</summary>
public sealed class SealedSegmentTests : IAsyncLifetime
{
    private readonly TempDir _dir = new();
    private PartitionLog _log = null!;

    public async Task InitializeAsync()
    {
        _log = await Logs.OpenAsync(_dir, new PartitionLogOptions { SegmentMaxBytes = 4096 });
        await Logs.AppendManyAsync(_log, 200, 100);
        Assert.True(_log.SegmentCount > 5);
    }

    public async Task DisposeAsync()
    {
        await _log.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public async Task ReadRaw_ReturnsWhatThePartitionReturns_WithinTheSegment()
    {
        var bases = _log.SegmentBaseOffsets;
        using var segment = SealedSegment.Open(_dir.Path, "ns", "topic", 0, bases[2]);
        Assert.Equal(bases[3], segment.NextOffset);

        var all = segment.ReadRaw(bases[2], 1000, long.MaxValue);
        Assert.Equal((int)(bases[3] - bases[2]), all.Count);
        Assert.Equal(Logs.Joined(_log.ReadRaw(bases[2], all.Count, long.MaxValue)), Logs.Joined(all));

        var middle = segment.ReadRaw(bases[2] + 1, 2, long.MaxValue);
        Assert.Equal(Logs.Joined(_log.ReadRaw(bases[2] + 1, 2, long.MaxValue)), Logs.Joined(middle));
        Assert.Equal(1, segment.ReadRaw(bases[2], 1000, 1).Count);

        Assert.Throws<OffsetOutOfRangeException>(() => segment.ReadRaw(bases[3], 10, long.MaxValue));
        Assert.Throws<OffsetOutOfRangeException>(() => segment.ReadRaw(bases[2] - 1, 10, long.MaxValue));
    }

    [Fact]
    public async Task Open_RefusesTheActiveSegment_AMissingOne_AndBadNames()
    {
        Assert.Throws<FileNotFoundException>(() => SealedSegment.Open(_dir.Path, "ns", "topic", 0, _log.SegmentBaseOffsets[^1]));
        Assert.Throws<FileNotFoundException>(() => SealedSegment.Open(_dir.Path, "ns", "topic", 0, _log.SegmentBaseOffsets[1] + 1));
        Assert.Throws<InvalidNameException>(() => SealedSegment.Open(_dir.Path, "..", "topic", 0, 0));
    }

    [Fact]
    public async Task Verify_ChecksEveryRecordAndTheLinkIntoTheSegment()
    {
        var bases = _log.SegmentBaseOffsets;
        using (var first = SealedSegment.Open(_dir.Path, "ns", "topic", 0, bases[0]))
        {
            var report = first.Verify(_log.LinkBefore(0));
            Assert.True(report.Ok, report.Reason);
            Assert.Equal(bases[1], report.Records);
            Assert.Equal(_log.Read(bases[1] - 1)!.Fingerprint.ToArray(), report.HeadFingerprint);
        }

        using var segment = SealedSegment.Open(_dir.Path, "ns", "topic", 0, bases[3]);
        Assert.True(segment.Verify(_log.LinkBefore(bases[3])).Ok);
        Assert.Equal(_log.Read(bases[3] - 1)!.Fingerprint.ToArray(), _log.LinkBefore(bases[3]));

        var wrongLink = segment.Verify(_log.LinkBefore(bases[2]));
        Assert.False(wrongLink.Ok);
        Assert.Equal(bases[3], wrongLink.FirstBadOffset);
    }

    [Fact]
    public async Task Verify_FindsAFlippedBit_AndATruncatedSegment()
    {
        var bases = _log.SegmentBaseOffsets;
        var link = _log.LinkBefore(bases[1]);
        var files = Logs.SegmentFiles(_dir);
        var second = _log.ReadBatch(bases[1], 1000, long.MaxValue).Where(r => r.Offset < bases[2]).ToList();

        // A payload bit of the third record of the segment.
        var position = second.Take(2).Sum(r => r.Raw.Length) + second[2].Raw.Length - 20;
        await using (var file = new FileStream(files[1], FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite))
        {
            file.Position = position;
            var b = file.ReadByte();
            file.Position = position;
            file.WriteByte((byte)(b ^ 0x10));
        }

        using (var flipped = SealedSegment.Open(_dir.Path, "ns", "topic", 0, bases[1]))
        {
            var report = flipped.Verify(link);
            Assert.False(report.Ok);
            Assert.Equal(bases[1] + 2, report.FirstBadOffset);
        }

        // The last record of the next segment cut off.
        var third = _log.ReadBatch(bases[2], 1000, long.MaxValue).Where(r => r.Offset < bases[3]).ToList();
        File.Delete(Path.ChangeExtension(files[2], ".offsets"));
        await using (var file = new FileStream(files[2], FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite))
        {
            file.SetLength(file.Length - third[^1].Raw.Length);
        }

        using var truncated = SealedSegment.Open(_dir.Path, "ns", "topic", 0, bases[2]);
        var cut = truncated.Verify(_log.LinkBefore(bases[2]));
        Assert.False(cut.Ok);
        Assert.Equal(bases[3] - 1, cut.FirstBadOffset);
    }

    [Fact]
    public async Task LinkBefore_IsGenesisAtZero_TheStoredFingerprintInside_AndTheRetentionLinkAtTheStart()
    {
        using var dir = new TempDir();
        await using var log = await Logs.OpenAsync(dir, new PartitionLogOptions { SegmentMaxBytes = 4096, RetentionBytes = 8192 });
        var genesis = log.LinkBefore(0);
        await Logs.AppendManyAsync(log, 200, 100);
        Assert.Equal(32, genesis.Length);
        Assert.Equal(genesis, log.LinkBefore(0));
        Assert.Equal(genesis, log.Read(0)!.Metadata.LinkedFingerprint);
        Assert.Equal(log.Read(41)!.Fingerprint.ToArray(), log.LinkBefore(42));

        Assert.True(log.ApplyRetention() > 0);
        var start = log.StartOffset;
        Assert.Equal(log.ReadBatch(start, 1, long.MaxValue)[0].Metadata.LinkedFingerprint, log.LinkBefore(start));
        Assert.Throws<OffsetOutOfRangeException>(() => log.LinkBefore(start - 1));
        Assert.Throws<OffsetOutOfRangeException>(() => log.LinkBefore(log.NextOffset + 1));
    }
}
