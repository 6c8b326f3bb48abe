using Efflux.Format;

namespace Efflux.Storage.Integrity;

/// <summary>Where and why a chain scan stopped before the end of the files.</summary>
/// <param name="File">The segment file.</param>
/// <param name="Position">Byte position of the failing record in the file.</param>
/// <param name="Offset">The offset the failing record should have.</param>
/// <param name="Status">What failed.</param>
/// <param name="Expected">The value the check expected.</param>
/// <param name="Actual">The value found.</param>
/// <param name="TornTailBytes">When the failure is a torn tail of the last file, the bytes after <paramref name="Position"/>; otherwise 0.</param>
/// <param name="IsTornTail">True for a torn tail (not damage).</param>
public sealed record ScanFailure(string File, long Position, long Offset, RecordStatus Status, string Expected, string Actual, long TornTailBytes, bool IsTornTail)
{
    /// <summary>A one-line reason for reports.</summary>
    public string Reason => $"{RecordCheck.Describe(Status)} (expected {Expected}, found {Actual}) in {Path.GetFileName(File)} at byte {Position}";

    /// <summary>The typed exception for a failure that must stop a partition from opening.</summary>
    public CorruptLogException ToException() => new(File, Position, Offset, RecordCheck.Describe(Status), Expected, Actual);
}
