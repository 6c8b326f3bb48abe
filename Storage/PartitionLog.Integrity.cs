using System.Security.Cryptography;
using Efflux.Format;
using Efflux.Storage.Integrity;
using Efflux.Storage.Log;

namespace Efflux.Storage;

public sealed partial class PartitionLog
{
    /// <summary>
    /// Re-hashes records [<paramref name="fromOffset"/>, <paramref name="toOffset"/>] (default: everything visible) and
    /// checks every link. Reads the files directly; the writer is never blocked.
    /// </summary>
    public VerificationReport Verify(long? fromOffset = null, long? toOffset = null, SignedCheckpoint? checkpoint = null)
    {
        var visible = NextOffset;
        var segments = Volatile.Read(ref _segments);
        var start = segments[0].BaseOffset;
        var from = Math.Max(fromOffset ?? start, start);
        var label = $"{Namespace}/{Topic}/{Partition}";
        if (from >= visible)
        {
            return new VerificationReport(label, 0, true, null, null, 0, from, from, []);
        }

        var to = Math.Min(toOffset ?? visible - 1, visible - 1);
        var link = from > start ? Sha256Fast.Hash(Read(from - 1)!.MetadataBytes.Span) : LinkBefore(from);

        // Cut the range into pieces for all cores; each later piece starts from the stored fingerprint before it.
        var pieces = (int)Math.Clamp((to - from + 1) / 4096, 1, Environment.ProcessorCount * 4);
        var chunks = new List<LogVerifier.Chunk>(pieces);
        for (var i = 0; i < pieces; i++)
        {
            var first = from + ((to - from + 1) * i / pieces);
            var lastOffset = from + ((to - from + 1) * (i + 1) / pieces) - 1;
            var s = FindSegment(segments, first);
            var (position, _) = segments[s].Locate(first);
            chunks.Add(new LogVerifier.Chunk(s, position, first, i == 0 ? link : Read(first - 1)!.Fingerprint.ToArray(), lastOffset));
        }

        var last = segments[^1];
        long lastLimit = 0;
        if (visible > last.BaseOffset)
        {
            var (position, length) = last.Range(last.BaseOffset, visible - 1);
            lastLimit = position + length;
        }
        var files = segments.Select(x => (x.BaseOffset, x.FilePath)).ToList();
        var report = LogVerifier.ScanChunks(label, files, chunks, lastLimit, checkpoint?.Offset, out var captured);
        return checkpoint is null ? report : LogVerifier.AgainstCheckpoint(report, checkpoint, Namespace, Topic, Partition, captured);
    }

    /// <summary>
    /// The fingerprint the record at <paramref name="offset"/> must link to, as this partition holds it: the genesis
    /// value at offset 0, the retention marker's link at the first retained offset, else the fingerprint stored in the
    /// record before (which verifying that record checks).
    /// </summary>
    /// <exception cref="OffsetOutOfRangeException">The offset is below the first retained offset or beyond the end.</exception>
    public byte[] LinkBefore(long offset)
    {
        var start = StartOffset;
        if (offset < start || offset > NextOffset)
        {
            throw new OffsetOutOfRangeException(offset, start, NextOffset);
        }

        return offset == 0 ? (byte[])_genesis.Clone()
            : offset == start ? RetentionMarker.TryRead(Directory)?.LinkedFingerprint ?? []
            : Read(offset - 1)!.Fingerprint.ToArray();
    }

    /// <summary>Signs the current durable head (last offset and fingerprint) with an ECDSA P-256 key.</summary>
    public SignedCheckpoint ExportCheckpoint(ECDsa key)
    {
        var (offset, fingerprint) = GetHead();
        return SignedCheckpoint.Create(Namespace, Topic, Partition, offset, fingerprint, _time.GetUtcNow(), key);
    }
}
