namespace Efflux.Storage;

/// <summary>What happened to one appended message.</summary>
public enum AppendStatus
{
    /// <summary>Stored at <see cref="AppendResult.Offset"/>.</summary>
    Appended,

    /// <summary>The id was seen within the idempotency window; <see cref="AppendResult.Offset"/> is the original record's.</summary>
    Duplicate,

    /// <summary>The expected offset did not match; nothing was appended. <see cref="AppendResult.Offset"/> is the partition's next offset.</summary>
    ExpectedOffsetMismatch,
}
