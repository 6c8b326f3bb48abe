using System.Runtime.CompilerServices;
using Efflux.Format;
using Efflux.Storage.Log;

namespace Efflux.Storage;

public sealed partial class PartitionLog
{
    /// <summary>The record at <paramref name="offset"/>, or null when it has not been written yet.</summary>
    /// <exception cref="OffsetOutOfRangeException">The offset is below the first retained offset.</exception>
    public StoredRecord? Read(long offset)
    {
        var batch = ReadBatch(offset, 1, int.MaxValue);
        return batch.Count == 0 ? null : batch[0];
    }

    /// <summary>The most records one <see cref="ReadBatch"/> call returns, whatever its maxCount: larger result lists
    /// land on the large-object heap and cost a full collection each.</summary>
    public const int MaxRecordsPerRead = 8192;

    /// <summary>
    /// Up to <paramref name="maxCount"/> (and at most <see cref="MaxRecordsPerRead"/>) consecutive records from
    /// <paramref name="fromOffset"/>, stopping before <paramref name="maxBytes"/> is passed (the first record is always
    /// returned). Empty at the end of the log.
    /// </summary>
    public IReadOnlyList<StoredRecord> ReadBatch(long fromOffset, int maxCount, long maxBytes)
    {
        var result = new List<StoredRecord>(Math.Min(maxCount, MaxRecordsPerRead));
        try
        {
            ReadPlanned(Volatile.Read(ref _segments), NextOffset, fromOffset, maxCount, maxBytes, (segment, first, last) => ReadPieces(segment, first, last, result));
        }
        catch (ObjectDisposedException)
        {
            // Retention removed the segment while we read it.
            throw new OffsetOutOfRangeException(fromOffset, StartOffset, NextOffset);
        }

        return result;
    }

    /// <summary>
    /// Reads records [first, last] of a segment as records of their own, in pieces of about 64 KiB: small buffers die
    /// young, where one large buffer per call would churn the large-object heap.
    /// </summary>
    private static void ReadPieces(Segment segment, long first, long last, List<StoredRecord> result)
        => ReadPieces(segment, first, last, (buffer, offset, count) =>
        {
            var at = 0;
            for (var o = offset; o < offset + count; o++)
            {
                var length = RecordLayout.ReadLength(buffer.AsSpan(at));
                result.Add(new StoredRecord(o, buffer.AsMemory(at, length)));
                at += length;
            }
        });

    /// <summary>
    /// Reads records [first, last] of a segment in pieces of whole records, each ending with the record that takes it
    /// to <see cref="ReadPieceBytes"/> (so a piece is larger only by its last record), checks their framing, and hands each piece to
    /// <paramref name="piece"/> with the offset and count of its records.
    /// </summary>
    private static void ReadPieces(Segment segment, long first, long last, Action<byte[], long, int> piece)
    {
        for (var o = first; o <= last;)
        {
            var (start, _) = segment.Locate(o);
            var end = o;
            long stop;
            do
            {
                var (p, l) = segment.Locate(end);
                stop = p + l;
                end++;
            }
            while (end <= last && stop - start < ReadPieceBytes);

            var buffer = GC.AllocateUninitializedArray<byte>((int)(stop - start));
            ReadExactly(segment, buffer, start);
            var at = 0;
            for (var offset = o; offset < end; offset++)
            {
                at += CheckFramed(segment, buffer, at, start + at, offset);
            }

            piece(buffer, o, (int)(end - o));
            o = end;
        }
    }

    /// <summary>
    /// The records <see cref="ReadBatch"/> would return, as their stored bytes back to back, read from the segment files
    /// straight into pieces of whole records of about 64 KiB: what readers send over the wire, without a copy or an
    /// object per record, and without a large-object-heap buffer per call.
    /// </summary>
    public RawRecords ReadRaw(long fromOffset, int maxCount, long maxBytes)
    {
        try
        {
            return ReadRaw(Volatile.Read(ref _segments), NextOffset, fromOffset, maxCount, maxBytes);
        }
        catch (ObjectDisposedException)
        {
            // Retention removed the segment while we read it.
            throw new OffsetOutOfRangeException(fromOffset, StartOffset, NextOffset);
        }
    }

    /// <summary><see cref="ReadRaw(long, int, long)"/> over <paramref name="segments"/>, whose records below <paramref name="visible"/> may be read.</summary>
    internal static RawRecords ReadRaw(Segment[] segments, long visible, long fromOffset, int maxCount, long maxBytes)
    {
        var pieces = new List<ReadOnlyMemory<byte>>();
        var count = 0;
        ReadPlanned(segments, visible, fromOffset, maxCount, maxBytes, (segment, first, last) => ReadPieces(segment, first, last, (buffer, _, records) =>
        {
            pieces.Add(buffer);
            count += records;
        }));
        return new RawRecords(pieces, fromOffset, count);
    }

    /// <summary>
    /// Works out which records a batch read returns — whole ranges of consecutive records per segment within the count
    /// and byte budgets — and hands each range (segment, first and last offset) to <paramref name="read"/>.
    /// </summary>
    private static void ReadPlanned(Segment[] segments, long visible, long fromOffset, int maxCount, long maxBytes, Action<Segment, long, long> read)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(fromOffset);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCount, 1);
        if (fromOffset < segments[0].BaseOffset)
        {
            throw new OffsetOutOfRangeException(fromOffset, segments[0].BaseOffset, visible);
        }

        maxCount = Math.Min(maxCount, MaxRecordsPerRead);
        var count = 0;
        var offset = fromOffset;
        long bytes = 0;
        var s = FindSegment(segments, offset);
        while (s < segments.Length && offset < visible && count < maxCount)
        {
            var segment = segments[s];
            var segmentEnd = s + 1 < segments.Length ? segments[s + 1].BaseOffset : visible;
            var last = Math.Min(Math.Min(segmentEnd, visible), offset + (maxCount - count)) - 1;
            if (last < offset)
            {
                s++;
                continue;
            }

            // Shrink the range to the byte budget using the positions.
            var length = segment.Range(offset, last).Length;
            while (last > offset && bytes + length > maxBytes)
            {
                last = offset + ((last - offset) / 2);
                length = segment.Range(offset, last).Length;
            }

            if (count > 0 && bytes + length > maxBytes)
            {
                break;
            }

            read(segment, offset, last);
            count += (int)(last - offset + 1);
            bytes += length;
            offset = last + 1;
            if (offset >= segmentEnd)
            {
                s++;
            }
        }
    }

    private const int ReadPieceBytes = 64 * 1024;

    /// <summary>Checks the framing of the record at <paramref name="at"/> in <paramref name="buffer"/> (read from file position <paramref name="position"/>) and returns its length.</summary>
    private static int CheckFramed(Segment segment, byte[] buffer, int at, long position, long offset)
    {
        var span = buffer.AsSpan(at);
        var length = RecordLayout.ReadLength(span);
        if (RecordCheck.CheckFrame(span[..Math.Min(length, span.Length)], out _) != RecordStatus.Ok)
        {
            throw new CorruptLogException(segment.FilePath, position, offset, "record framing is damaged", "a framed record", Convert.ToHexString(span[..Math.Min(14, span.Length)]));
        }

        return length;
    }

    /// <summary>Readers waiting in <see cref="WaitForAsync"/> for a record not yet visible (long polls, followers, subscription pumps).</summary>
    public int Waiting => Volatile.Read(ref _waiting);

    /// <summary>Completes when a record at <paramref name="offset"/> is visible (long-poll and tail following).</summary>
    public async Task WaitForAsync(long offset, CancellationToken cancellationToken = default)
    {
        if (NextOffset > offset)
        {
            return;
        }

        Interlocked.Increment(ref _waiting);
        try
        {
            while (true)
            {
                var signal = Volatile.Read(ref _appended);
                if (NextOffset > offset)
                {
                    return;
                }

                ThrowIfDisposed();
                await signal.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            Interlocked.Decrement(ref _waiting);
        }
    }

    /// <summary>Every record from <paramref name="fromOffset"/> on, following the tail until cancelled.</summary>
    public async IAsyncEnumerable<StoredRecord> FollowAsync(long fromOffset, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var next = fromOffset;
        while (!cancellationToken.IsCancellationRequested)
        {
            var batch = ReadBatch(next, 1024, 4 << 20);
            if (batch.Count == 0)
            {
                await WaitForAsync(next, cancellationToken).ConfigureAwait(false);
                continue;
            }

            foreach (var record in batch)
            {
                yield return record;
            }

            next = batch[^1].Offset + 1;
        }
    }

    /// <summary>The offset and fingerprint of the last visible record (offset -1 and the genesis value when empty).</summary>
    public (long Offset, byte[] Fingerprint) GetHead()
    {
        var next = NextOffset;
        if (next == 0)
        {
            return (-1, (byte[])_genesis.Clone());
        }

        var record = Read(next - 1)!;
        return (next - 1, record.Fingerprint.ToArray());
    }

    internal static int FindSegment(Segment[] segments, long offset)
    {
        var lo = 0;
        var hi = segments.Length - 1;
        while (lo < hi)
        {
            var mid = (lo + hi + 1) >>> 1;
            if (segments[mid].BaseOffset <= offset)
            {
                lo = mid;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return lo;
    }

    private RecordMetadata ReadMetadataAt(Segment segment, long offset)
    {
        var (position, length) = segment.Locate(offset);
        var buffer = new byte[length];
        ReadExactly(segment, buffer, position);
        return new StoredRecord(offset, buffer).Metadata;
    }

    private static void ReadExactly(Segment segment, Span<byte> buffer, long position)
    {
        var read = 0;
        while (read < buffer.Length)
        {
            var n = RandomAccess.Read(segment.ReadHandle, buffer[read..], position + read);
            if (n == 0)
            {
                throw new CorruptLogException(segment.FilePath, position + read, -1, "the segment ends before an indexed record does", $"{buffer.Length} bytes", $"{read} bytes");
            }

            read += n;
        }
    }
}
