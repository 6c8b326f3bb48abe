namespace Efflux.Format;

/// <summary>The outcome of checking one record at a position.</summary>
public enum RecordStatus
{
    /// <summary>The record is complete and every check passed.</summary>
    Ok,

    /// <summary>The bytes end before the record does.</summary>
    Incomplete,

    /// <summary>The first six bytes are not the header id.</summary>
    BadHeaderId,

    /// <summary>L or M is out of range.</summary>
    BadLength,

    /// <summary>The trailer does not repeat L or the footer id is wrong.</summary>
    BadTrailer,

    /// <summary>SHA-256 of the stored metadata differs from the stored fingerprint.</summary>
    FingerprintMismatch,

    /// <summary>The metadata is not a v1 JSON object.</summary>
    MalformedMetadata,

    /// <summary>The metadata Offset is not the next dense offset.</summary>
    OffsetMismatch,

    /// <summary>SHA-256 of the stored payload differs from PayloadHash.</summary>
    PayloadHashMismatch,

    /// <summary>LinkedFingerprint is not the fingerprint of the previous record (or the genesis value).</summary>
    ChainBroken,
}
