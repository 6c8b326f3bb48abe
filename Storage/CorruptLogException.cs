namespace Efflux.Storage;

/// <summary>
/// A record below the durable point failed a check, so the partition refuses to open. The engine never repairs the
/// middle of a chain: an operator decides (restore from a replica or backup, or truncate by hand).
/// </summary>
public sealed class CorruptLogException : IOException
{
    /// <summary>Creates the exception.</summary>
    public CorruptLogException(string file, long position, long offset, string reason, string expected, string actual)
        : base($"Corrupt log '{file}' at byte {position} (offset {offset}): {reason}; expected {expected}, found {actual}.")
    {
        File = file;
        Position = position;
        Offset = offset;
        Reason = reason;
        Expected = expected;
        Actual = actual;
    }

    /// <summary>The segment or checkpoint file that failed.</summary>
    public string File { get; }

    /// <summary>Byte position of the failing record within <see cref="File"/>.</summary>
    public long Position { get; }

    /// <summary>Offset the failing record should have.</summary>
    public long Offset { get; }

    /// <summary>What failed.</summary>
    public string Reason { get; }

    /// <summary>The value the check expected.</summary>
    public string Expected { get; }

    /// <summary>The value found.</summary>
    public string Actual { get; }
}
