using System.Buffers.Binary;
using Efflux.Format;
using Efflux.Storage.IO;

namespace Efflux.Storage.Integrity;

/// <summary>
/// Walks a partition's segment files in base-offset order and checks every record: framing, fingerprint, dense offsets,
/// payload hash and the link to the previous record. Shared by recovery (from a checkpoint) and verification (from any
/// offset). Stops at the first failure; a failure in the last file that is only a torn write is reported as such.
/// </summary>
internal sealed class ChainScanner
{
    /// <summary>Called for every good record: segment index, position, offset, length, fingerprint.</summary>
    public delegate void RecordVisitor(int segmentIndex, long position, long offset, int length, ReadOnlySpan<byte> fingerprint);

    public required IReadOnlyList<(long BaseOffset, string Path)> Segments { get; init; }

    /// <summary>Stop after this offset (inclusive); null scans to the end.</summary>
    public long? LastOffset { get; init; }

    /// <summary>Limits the last file to this many bytes (a live partition's published length).</summary>
    public long? LastFileLimit { get; init; }

    /// <summary>Good records checked.</summary>
    public long Records { get; private set; }

    /// <summary>Fingerprint of the last good record (or the starting link when none).</summary>
    public byte[] LastFingerprint { get; private set; } = [];

    /// <summary>Offset after the last good record.</summary>
    public long NextOffset { get; private set; }

    /// <summary>Segment index and byte position just after the last good record.</summary>
    public (int Segment, long Position) End { get; private set; }

    /// <summary>Scans from a position with a known link. Returns null when every record to the end checked out.</summary>
    public ScanFailure? Scan(int startSegment, long startPosition, long expectedOffset, ReadOnlySpan<byte> link, RecordVisitor? visitor = null)
    {
        Span<byte> prev = stackalloc byte[RecordLayout.HashSize];
        link.CopyTo(prev);
        Span<byte> fingerprint = stackalloc byte[RecordLayout.HashSize];
        NextOffset = expectedOffset;
        End = (startSegment, startPosition);
        LastFingerprint = prev.ToArray();

        for (var s = startSegment; s < Segments.Count; s++)
        {
            var (baseOffset, path) = Segments[s];
            var isLast = s == Segments.Count - 1;
            var position = s == startSegment ? startPosition : 0;
            if (position == 0 && baseOffset != NextOffset)
            {
                return new ScanFailure(path, 0, NextOffset, RecordStatus.OffsetMismatch, $"segment base {NextOffset}", $"segment base {baseOffset}", 0, false);
            }

            using var reader = new ChunkedFileReader(path);
            if (isLast && LastFileLimit is { } limit)
            {
                reader.Refresh(Math.Min(limit, reader.FileLength));
            }

            while (position < reader.FileLength)
            {
                if (LastOffset is { } last && NextOffset > last)
                {
                    End = (s, position);
                    return null;
                }

                var window = reader.Window(position, 64 * 1024);
                var length = window.Length >= 10 ? BinaryPrimitives.ReadInt32LittleEndian(window[6..]) : 0;
                if (length > window.Length && length <= RecordLayout.MaxRecordLength && position + length <= reader.FileLength)
                {
                    window = reader.Window(position, length);
                }

                var status = RecordCheck.CheckRecord(window, NextOffset, prev, fingerprint, out length);
                if (status != RecordStatus.Ok)
                {
                    return Fail(reader, path, position, isLast, status, window, prev);
                }

                visitor?.Invoke(s, position, NextOffset, length, fingerprint);
                fingerprint.CopyTo(prev);
                position += length;
                NextOffset++;
                Records++;
                End = (s, position);
            }

            if (!isLast && position == 0)
            {
                return new ScanFailure(path, 0, NextOffset, RecordStatus.Incomplete, "a record", "an empty segment that is not the last", 0, false);
            }
        }

        LastFingerprint = prev.ToArray();
        return null;
    }

    private ScanFailure Fail(ChunkedFileReader reader, string path, long position, bool isLast, RecordStatus status, ReadOnlySpan<byte> window, ReadOnlySpan<byte> prev)
    {
        LastFingerprint = prev.ToArray();
        var rest = reader.FileLength - position;
        if (isLast && TornTail(reader, position))
        {
            return new ScanFailure(path, position, NextOffset, status, "a complete record", $"{rest} torn bytes", rest, true);
        }

        window = reader.Window(position, (int)Math.Min(rest, Math.Max(window.Length, RecordLayout.HeaderSize)));
        var (expected, actual) = Explain(window, status, NextOffset, prev);
        return new ScanFailure(path, position, NextOffset, status, expected, actual, 0, false);
    }

    /// <summary>Reads only what the torn-tail rule needs: the head, the end of the non-zero bytes, and the last record's frame.</summary>
    private static bool TornTail(ChunkedFileReader reader, long position)
    {
        const int Step = 64 * 1024;
        var end = reader.FileLength;
        while (end > position)
        {
            var from = Math.Max(position, end - Step);
            var chunk = reader.Window(from, (int)(end - from))[..(int)(end - from)];
            var nonZero = chunk.LastIndexOfAnyExcept((byte)0);
            if (nonZero >= 0)
            {
                end = from + nonZero + 1;
                break;
            }

            end = from;
        }

        var written = end - position;
        if (written == 0)
        {
            return true;
        }

        var head = reader.Window(position, (int)Math.Min(written, 14))[..(int)Math.Min(written, 14)].ToArray();
        var endsWithRecord = false;
        if (written >= RecordLayout.Overhead)
        {
            var trailer = reader.Window(end - 8, 8)[..8];
            var l = BinaryPrimitives.ReadInt32LittleEndian(trailer);
            if (trailer[4..].SequenceEqual(RecordLayout.FooterId) && l >= RecordLayout.Overhead && l <= written)
            {
                endsWithRecord = reader.Window(end - l, 6)[..6].SequenceEqual(RecordLayout.HeaderId);
            }
        }

        return RecordCheck.IsTornTail(head, written, endsWithRecord);
    }

    /// <summary>Recomputes the expected and actual values of a failed check, for the report.</summary>
    private static (string Expected, string Actual) Explain(ReadOnlySpan<byte> data, RecordStatus status, long offset, ReadOnlySpan<byte> link)
    {
        switch (status)
        {
            case RecordStatus.BadHeaderId:
                return (Convert.ToHexString(RecordLayout.HeaderId), Convert.ToHexString(data[..Math.Min(6, data.Length)]));
            case RecordStatus.BadLength or RecordStatus.Incomplete:
                return ($"L in [{RecordLayout.Overhead + 2}, {Math.Min(data.Length, RecordLayout.MaxRecordLength)}]", data.Length >= 14 ? $"L={RecordLayout.ReadLength(data)}, M={RecordLayout.ReadMetadataLength(data)}" : $"{data.Length} bytes");
            case RecordStatus.BadTrailer:
                {
                    var l = RecordLayout.ReadLength(data);
                    return ($"L={l} and footer {Convert.ToHexString(RecordLayout.FooterId)}", $"L={BinaryPrimitives.ReadInt32LittleEndian(data[(l - 8)..])} and footer {Convert.ToHexString(data.Slice(l - 4, 4))}");
                }
        }

        var m = RecordLayout.ReadMetadataLength(data);
        var metadata = data.Slice(RecordLayout.HeaderSize, m);
        var computed = Sha256Fast.Hash(metadata);
        if (status == RecordStatus.FingerprintMismatch)
        {
            return (Convert.ToBase64String(computed), Convert.ToBase64String(data.Slice(RecordLayout.FingerprintOffset, RecordLayout.HashSize)));
        }

        if (status == RecordStatus.MalformedMetadata)
        {
            return ("a v1 metadata object", System.Text.Encoding.UTF8.GetString(metadata[..Math.Min(80, metadata.Length)]));
        }

        var fields = MetadataReader.Read(metadata);
        return status switch
        {
            RecordStatus.OffsetMismatch => (offset.ToString(System.Globalization.CultureInfo.InvariantCulture), fields.Offset.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            RecordStatus.PayloadHashMismatch => (Convert.ToBase64String(fields.PayloadHash), Convert.ToBase64String(Sha256Fast.Hash(data.Slice(RecordLayout.HeaderSize + m, RecordLayout.ReadLength(data) - RecordLayout.Overhead - m)))),
            _ => (Convert.ToBase64String(link), Convert.ToBase64String(fields.LinkedFingerprint)),
        };
    }
}
