using System.Globalization;
using Efflux.Format;
using Efflux.Storage.Log;

namespace Efflux.Storage.Integrity;

/// <summary>
/// Offline verification of partition directories: needs only the <c>.log</c> files (and <c>retention.json</c> when
/// retention removed old segments). Used by the <c>efflux verify</c> command; safe to run beside a live writer.
/// </summary>
public static class LogVerifier
{
    /// <summary>Every partition directory (one holding segment files) at or below <paramref name="path"/>.</summary>
    public static IReadOnlyList<string> FindPartitions(string path)
    {
        var root = Path.GetFullPath(path);
        if (!Directory.Exists(root))
        {
            throw new DirectoryNotFoundException($"'{path}' is not a directory.");
        }

        var result = new List<string>();
        if (PartitionLog.ListSegments(root).Count > 0)
        {
            result.Add(root);
        }

        foreach (var dir in Directory.EnumerateDirectories(root, "*", SearchOption.AllDirectories))
        {
            if (PartitionLog.ListSegments(dir).Count > 0)
            {
                result.Add(dir);
            }
        }

        result.Sort(StringComparer.Ordinal);
        return result;
    }

    /// <summary>Verifies a whole partition directory (named <c>…/namespace/topic/partition</c>).</summary>
    public static VerificationReport VerifyPartition(string partitionDirectory, SignedCheckpoint? checkpoint = null)
    {
        var dir = Path.GetFullPath(partitionDirectory).TrimEnd(Path.DirectorySeparatorChar);
        var (ns, topic, partition) = Identify(dir);
        var label = $"{ns}/{topic}/{partition.ToString(CultureInfo.InvariantCulture)}";
        var files = PartitionLog.ListSegments(dir);
        if (files.Count == 0)
        {
            return new VerificationReport(label, 0, false, null, "no segment files", 0, 0, 0, []);
        }

        var first = files[0].BaseOffset;
        byte[] link;
        if (first == 0)
        {
            link = Genesis.For(ns, topic, partition);
        }
        else
        {
            var marker = RetentionMarker.TryRead(dir);
            if (marker is null || marker.StartOffset != first)
            {
                return new VerificationReport(label, 0, false, first, $"the partition starts at offset {first} but retention.json {(marker is null ? "is missing" : $"says {marker.StartOffset}")}: earlier segments were removed", 0, first, first, []);
            }

            link = marker.LinkedFingerprint;
        }

        // One chunk per segment file; each later file starts from the stored fingerprint at the end of the one before.
        var chunks = new List<Chunk>(files.Count);
        for (var i = 0; i < files.Count; i++)
        {
            var lastOffset = i + 1 < files.Count ? files[i + 1].BaseOffset - 1 : long.MaxValue;
            chunks.Add(new Chunk(i, 0, files[i].BaseOffset, i == 0 ? link : LastStoredFingerprint(files[i - 1].Path), lastOffset));
        }

        var report = ScanChunks(label, files, chunks, lastFileLimit: null, checkpoint?.Offset, out var captured);
        return checkpoint is null ? report : AgainstCheckpoint(report, checkpoint, ns, topic, partition, captured);
    }

    /// <summary>The fingerprint stored in the last record of a file, found from its trailer; empty when unreadable.</summary>
    private static byte[] LastStoredFingerprint(string path)
    {
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var length = RandomAccess.GetLength(handle);
        Span<byte> trailer = stackalloc byte[8];
        if (length < RecordLayout.Overhead || RandomAccess.Read(handle, trailer, length - 8) != 8)
        {
            return [];
        }

        var l = System.Buffers.Binary.BinaryPrimitives.ReadInt32LittleEndian(trailer);
        var fingerprint = new byte[RecordLayout.HashSize];
        if (l < RecordLayout.Overhead || l > length || RandomAccess.Read(handle, fingerprint, length - l + RecordLayout.FingerprintOffset) != RecordLayout.HashSize)
        {
            return [];
        }

        return fingerprint;
    }

    /// <summary>One independent piece of a parallel verification: where it starts, the link its first record must carry, where it ends.</summary>
    internal sealed record Chunk(int Segment, long Position, long FirstOffset, byte[] Link, long LastOffset);

    /// <summary>
    /// Verifies chunks on all cores. Equivalent to one sequential scan: each chunk starts from the stored fingerprint of
    /// the record before it, and the chunk before checks that this stored fingerprint is the record's true hash. The
    /// first failing chunk (in offset order) gives the first bad offset; records count up to it.
    /// </summary>
    internal static VerificationReport ScanChunks(string label, IReadOnlyList<(long BaseOffset, string Path)> files, IReadOnlyList<Chunk> chunks, long? lastFileLimit, long? captureOffset, out byte[]? captured)
    {
        var results = new (ChainScanner Scanner, ScanFailure? Failure, byte[]? Captured)[chunks.Count];
        Parallel.For(0, chunks.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
        {
            var c = chunks[i];
            var scanner = new ChainScanner { Segments = files, LastOffset = c.LastOffset, LastFileLimit = lastFileLimit };
            byte[]? fingerprint = null;
            var failure = scanner.Scan(c.Segment, c.Position, c.FirstOffset, c.Link, captureOffset is { } target && target >= c.FirstOffset && target <= c.LastOffset
                ? (_, _, offset, _, fp) =>
                {
                    if (offset == target)
                    {
                        fingerprint = fp.ToArray();
                    }
                }
                : null);
            results[i] = (scanner, failure, fingerprint);
        });

        captured = results.Select(r => r.Captured).FirstOrDefault(c => c is not null);
        long records = 0;
        for (var i = 0; i < results.Length; i++)
        {
            var (scanner, failure, _) = results[i];
            records += scanner.Records;
            if (failure is not null && !(failure.IsTornTail && i == results.Length - 1))
            {
                return new VerificationReport(label, records, false, failure.Offset, failure.Reason, 0, chunks[0].FirstOffset, scanner.NextOffset, scanner.LastFingerprint);
            }

            if (i == results.Length - 1)
            {
                return new VerificationReport(label, records, true, null, null, failure?.TornTailBytes ?? 0, chunks[0].FirstOffset, scanner.NextOffset, scanner.LastFingerprint);
            }
        }

        return new VerificationReport(label, 0, true, null, null, 0, 0, 0, []);
    }

    /// <summary>
    /// Adds the checkpoint test to a chain report: the checkpoint must be validly signed, be for this partition, and its
    /// offset must still be in the verified chain with the same fingerprint.
    /// </summary>
    internal static VerificationReport AgainstCheckpoint(VerificationReport report, SignedCheckpoint checkpoint, string ns, string topic, int partition, byte[]? fingerprintAtCheckpoint)
    {
        if (!report.Ok)
        {
            return report;
        }

        string? problem = null;
        if (!checkpoint.HasValidSignature())
        {
            problem = "the checkpoint's signature is not valid";
        }
        else if (checkpoint.Namespace != ns || checkpoint.Topic != topic || checkpoint.Partition != partition)
        {
            problem = $"the checkpoint is for {checkpoint.Namespace}/{checkpoint.Topic}/{checkpoint.Partition}";
        }
        else if (checkpoint.Offset >= report.NextOffset)
        {
            problem = $"the log ends at offset {report.NextOffset - 1} but the checkpoint vouches for offset {checkpoint.Offset}: the log was truncated";
        }
        else if (checkpoint.Offset >= report.FirstOffset)
        {
            var actual = fingerprintAtCheckpoint;
            if (actual is null || Convert.ToBase64String(actual) != checkpoint.Fingerprint)
            {
                problem = $"offset {checkpoint.Offset} has fingerprint {(actual is null ? "(unreadable)" : Convert.ToBase64String(actual))} but the checkpoint says {checkpoint.Fingerprint}: the log was rewritten";
            }
        }

        return problem is null ? report : report with { Ok = false, FirstBadOffset = Math.Min(checkpoint.Offset, report.NextOffset), Reason = problem };
    }

    private static (string Namespace, string Topic, int Partition) Identify(string dir)
    {
        var partitionName = Path.GetFileName(dir);
        var topicDir = Path.GetDirectoryName(dir);
        var nsDir = topicDir is null ? null : Path.GetDirectoryName(topicDir);
        if (!int.TryParse(partitionName, NumberStyles.None, CultureInfo.InvariantCulture, out var partition) || topicDir is null || nsDir is null)
        {
            throw new ArgumentException($"'{dir}' is not a partition directory (…/namespace/topic/partition).");
        }

        return (Path.GetFileName(nsDir), Path.GetFileName(topicDir), partition);
    }
}
