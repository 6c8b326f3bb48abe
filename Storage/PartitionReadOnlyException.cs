namespace Efflux.Storage;

/// <summary>
/// The partition stopped accepting appends after a write or fsync failure. Nothing after the failure was acknowledged;
/// reopening the partition (after fixing the cause) recovers it.
/// </summary>
public sealed class PartitionReadOnlyException : IOException
{
    /// <summary>Creates the exception.</summary>
    public PartitionReadOnlyException(string partition, Exception cause)
        : base($"The partition is read-only after {Describe(cause)}; nothing after the failure was acknowledged.", cause)
    {
        Partition = partition;
    }

    /// <summary>The partition directory.</summary>
    public string Partition { get; }

    /// <summary>True when <paramref name="exception"/> (or what caused it) says the device has no space left.</summary>
    public static bool IsDiskFull(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            // ENOSPC (28) on Unix, ERROR_DISK_FULL / ERROR_HANDLE_DISK_FULL on Windows.
            if (e is IOException io && ((io.HResult & 0xFFFF) is 28 or 39 or 112 || io.Message.Contains("No space left", StringComparison.OrdinalIgnoreCase)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>What failed, in words that name no file (the exception itself keeps the details for the log).</summary>
    private static string Describe(Exception cause) => IsDiskFull(cause) ? "a write found the disk full" : "a failed write or fsync";
}
