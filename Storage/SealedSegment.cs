using Efflux.Storage.Integrity;
using Efflux.Storage.Log;

namespace Efflux.Storage;

/// <summary>
/// One sealed segment of a partition, read on its own: batches of its records and a check of its chain, through a file
/// handle and record positions of its own (loaded from its <c>.offsets</c> file, or by walking its headers). The
/// partition's writer is not involved; the active segment cannot be opened this way.
/// </summary>
public sealed class SealedSegment : IDisposable
{
    private readonly Segment[] _segment;
    private readonly string _label;

    private SealedSegment(Segment segment, long nextOffset, string label)
    {
        _segment = [segment];
        NextOffset = nextOffset;
        _label = label;
    }

    /// <summary>The offset of its first record.</summary>
    public long BaseOffset => _segment[0].BaseOffset;

    /// <summary>The offset after its last record (the next segment's base).</summary>
    public long NextOffset { get; }

    /// <summary>The segment file.</summary>
    public string FilePath => _segment[0].FilePath;

    /// <summary>Bytes in the file.</summary>
    public long Length => _segment[0].Length;

    /// <summary>Opens the sealed segment of a partition that starts at <paramref name="baseOffset"/>.</summary>
    /// <exception cref="InvalidNameException">The namespace or topic is not a valid name.</exception>
    /// <exception cref="FileNotFoundException">No sealed segment starts there (none does, or it is the active one).</exception>
    public static SealedSegment Open(string dataDirectory, string ns, string topic, int partition, long baseOffset)
    {
        var directory = StorageNames.PartitionDirectory(dataDirectory, ns, topic, partition);
        var files = PartitionLog.ListSegments(directory);
        var i = files.FindIndex(f => f.BaseOffset == baseOffset);
        if (i < 0 || i == files.Count - 1)
        {
            throw new FileNotFoundException($"Partition {ns}/{topic}/{partition} has no sealed segment starting at offset {baseOffset}.", Path.Combine(directory, StorageNames.SegmentFileName(baseOffset)));
        }

        var segment = new Segment(directory, baseOffset, new FileInfo(files[i].Path).Length, positionsLoaded: false);
        segment.Seal(files[i + 1].BaseOffset - baseOffset);
        return new SealedSegment(segment, files[i + 1].BaseOffset, $"{ns}/{topic}/{partition}@{baseOffset}");
    }

    /// <summary>
    /// Records from <paramref name="fromOffset"/> to at most the segment's end, as <see cref="PartitionLog.ReadRaw(long, int, long)"/>
    /// returns them (count and byte budgets alike; the first record always).
    /// </summary>
    /// <exception cref="OffsetOutOfRangeException">The offset is not in this segment.</exception>
    /// <exception cref="CorruptLogException">A record's framing is damaged.</exception>
    public RawRecords ReadRaw(long fromOffset, int maxCount, long maxBytes)
    {
        if (fromOffset < BaseOffset || fromOffset >= NextOffset)
        {
            throw new OffsetOutOfRangeException(fromOffset, BaseOffset, NextOffset);
        }

        return PartitionLog.ReadRaw(_segment, NextOffset, fromOffset, maxCount, maxBytes);
    }

    /// <summary>
    /// Re-hashes every record and checks every link; the first record must link to <paramref name="linkedFingerprint"/>
    /// (the last fingerprint of the segment before, the partition's genesis value, or the retention marker's link).
    /// A segment holding fewer records than were sealed in it fails.
    /// </summary>
    public VerificationReport Verify(ReadOnlySpan<byte> linkedFingerprint)
    {
        var report = LogVerifier.ScanChunks(_label, [(BaseOffset, FilePath)], [new LogVerifier.Chunk(0, 0, BaseOffset, linkedFingerprint.ToArray(), NextOffset - 1)], lastFileLimit: null, captureOffset: null, out _);
        return report.Ok && report.NextOffset != NextOffset
            ? report with { Ok = false, FirstBadOffset = report.NextOffset, Reason = $"the segment ends after {report.Records} records; {NextOffset - BaseOffset} were sealed in it" }
            : report;
    }

    /// <inheritdoc />
    public void Dispose() => _segment[0].Dispose();
}
