namespace Efflux.Storage;

/// <summary>What opening a partition found.</summary>
/// <param name="FromCheckpoint">True when the scan started at a recovery checkpoint rather than the first segment.</param>
/// <param name="ScannedRecords">Records checked by the scan.</param>
/// <param name="TruncatedBytes">Bytes of torn tail cut from the last segment.</param>
/// <param name="Elapsed">Time spent opening.</param>
public sealed record RecoveryReport(bool FromCheckpoint, long ScannedRecords, long TruncatedBytes, TimeSpan Elapsed)
{
    /// <summary>The report of a log that has not been opened.</summary>
    public static RecoveryReport Empty { get; } = new(false, 0, 0, TimeSpan.Zero);
}
