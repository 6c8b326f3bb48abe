namespace Efflux.Format;

/// <summary>
/// The metadata of one stored record, as carried in its JSON object (format v1). Immutable once decoded.
/// </summary>
public sealed class RecordMetadata
{
    /// <summary>Unique id of the message within its topic.</summary>
    public required string Id { get; init; }

    /// <summary>Offset within the partition, dense from 0.</summary>
    public required long Offset { get; init; }

    /// <summary>UTC time the record was appended.</summary>
    public required DateTime Created { get; init; }

    /// <summary>UTC event time; equals <see cref="Created"/> unless the producer supplied one.</summary>
    public required DateTime Timestamp { get; init; }

    /// <summary>SHA-256 of the stored payload bytes.</summary>
    public required byte[] PayloadHash { get; init; }

    /// <summary>Fingerprint of the previous record, or the genesis value for offset 0.</summary>
    public required byte[] LinkedFingerprint { get; init; }

    /// <summary>Application-defined type of the payload.</summary>
    public string? DataType { get; init; }

    /// <summary>MIME type of the payload.</summary>
    public string? ContentType { get; init; }

    /// <summary>Encoding applied to the stored payload, e.g. <c>gzip</c>.</summary>
    public string? ContentEncoding { get; init; }

    /// <summary>Group of messages that must keep their order; routes to a partition.</summary>
    public string? MessageGroup { get; init; }

    /// <summary>Application-defined string properties.</summary>
    public IReadOnlyDictionary<string, string>? Properties { get; init; }
}
