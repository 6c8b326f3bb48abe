namespace Efflux.Format;

/// <summary>The values a writer puts in a record's metadata, held without allocation on the append path.</summary>
public readonly ref struct MetadataFields
{
    /// <summary>The message id.</summary>
    public required ReadOnlySpan<char> Id { get; init; }

    /// <summary>The record's offset.</summary>
    public required long Offset { get; init; }

    /// <summary>Append time, in UTC ticks.</summary>
    public required long CreatedTicks { get; init; }

    /// <summary>Event time, in UTC ticks (written only when it differs from the append time).</summary>
    public required long TimestampTicks { get; init; }

    /// <summary>SHA-256 of the stored payload.</summary>
    public required ReadOnlySpan<byte> PayloadHash { get; init; }

    /// <summary>The previous record's fingerprint, or the genesis value at offset 0.</summary>
    public required ReadOnlySpan<byte> LinkedFingerprint { get; init; }

    /// <summary>Application-defined type of the payload.</summary>
    public string? DataType { get; init; }

    /// <summary>MIME type of the payload.</summary>
    public string? ContentType { get; init; }

    /// <summary>Encoding of the stored payload.</summary>
    public string? ContentEncoding { get; init; }

    /// <summary>The message group.</summary>
    public string? MessageGroup { get; init; }

    /// <summary>Application-defined string properties.</summary>
    public IReadOnlyDictionary<string, string>? Properties { get; init; }
}
