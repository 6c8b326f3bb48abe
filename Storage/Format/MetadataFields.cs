namespace Efflux.Storage.Format;

/// <summary>The values the writer puts in a record's metadata, held without allocation on the append path.</summary>
internal readonly ref struct MetadataFields
{
    public required string Id { get; init; }

    public required long Offset { get; init; }

    public required long CreatedTicks { get; init; }

    public required long TimestampTicks { get; init; }

    public required ReadOnlySpan<byte> PayloadHash { get; init; }

    public required ReadOnlySpan<byte> LinkedFingerprint { get; init; }

    public string? DataType { get; init; }

    public string? ContentType { get; init; }

    public string? ContentEncoding { get; init; }

    public string? MessageGroup { get; init; }

    public IReadOnlyDictionary<string, string>? Properties { get; init; }
}
