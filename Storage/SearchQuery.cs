namespace Efflux.Storage;

/// <summary>A metadata search: every given condition must hold. Served from the segment indexes.</summary>
public sealed class SearchQuery
{
    /// <summary>DataType equals.</summary>
    public string? DataType { get; init; }

    /// <summary>MessageGroup equals.</summary>
    public string? MessageGroup { get; init; }

    /// <summary>ContentType equals.</summary>
    public string? ContentType { get; init; }

    /// <summary>Each property equals its value.</summary>
    public IReadOnlyDictionary<string, string>? Properties { get; init; }

    /// <summary>Timestamp at or after (inclusive).</summary>
    public DateTimeOffset? From { get; init; }

    /// <summary>Timestamp before (exclusive).</summary>
    public DateTimeOffset? To { get; init; }

    /// <summary>Search records at or after this offset (for paging).</summary>
    public long StartOffset { get; init; }

    /// <summary>Most records returned (default 100).</summary>
    public int Max { get; init; } = 100;
}
