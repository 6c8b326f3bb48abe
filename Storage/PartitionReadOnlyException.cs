namespace Efflux.Storage;

/// <summary>
/// The partition stopped accepting appends after a write or fsync failure. Nothing after the failure was acknowledged;
/// reopening the partition (after fixing the cause) recovers it.
/// </summary>
public sealed class PartitionReadOnlyException : IOException
{
    /// <summary>Creates the exception.</summary>
    public PartitionReadOnlyException(string partition, Exception cause)
        : base($"Partition '{partition}' is read-only after an I/O failure: {cause.Message}", cause)
    {
        Partition = partition;
    }

    /// <summary>The partition directory.</summary>
    public string Partition { get; }
}
