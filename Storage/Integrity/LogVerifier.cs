using System.Globalization;
using Efflux.Storage.Format;
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

        var report = Scan(label, files, 0, 0, first, link, lastOffset: null, lastFileLimit: null, checkpoint?.Offset, out var captured);
        return checkpoint is null ? report : AgainstCheckpoint(report, checkpoint, ns, topic, partition, captured);
    }

    /// <summary>Runs a scan and turns its outcome into a report.</summary>
    internal static VerificationReport Scan(string label, IReadOnlyList<(long BaseOffset, string Path)> files, int startSegment, long startPosition, long firstOffset, byte[] link, long? lastOffset, long? lastFileLimit, long? captureOffset, out byte[]? captured)
    {
        var scanner = new ChainScanner { Segments = files, LastOffset = lastOffset, LastFileLimit = lastFileLimit };
        byte[]? fingerprint = null;
        var failure = scanner.Scan(startSegment, startPosition, firstOffset, link, captureOffset is { } target
            ? (_, _, offset, _, fp) =>
            {
                if (offset == target)
                {
                    fingerprint = fp.ToArray();
                }
            }
            : null);
        captured = fingerprint;
        if (failure is null || failure.IsTornTail)
        {
            return new VerificationReport(label, scanner.Records, true, null, null, failure?.TornTailBytes ?? 0, firstOffset, scanner.NextOffset, scanner.LastFingerprint);
        }

        return new VerificationReport(label, scanner.Records, false, failure.Offset, failure.Reason, 0, firstOffset, scanner.NextOffset, scanner.LastFingerprint);
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
