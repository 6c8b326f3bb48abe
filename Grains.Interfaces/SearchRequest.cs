namespace Efflux;

/// <summary>A metadata search within one topic.</summary>
[GenerateSerializer]
[Alias("efflux.SearchRequest")]
public sealed class SearchRequest
{
    /// <summary>Exact DataType.</summary>
    [Id(0)] public string? DataType { get; set; }

    /// <summary>Exact MessageGroup.</summary>
    [Id(1)] public string? MessageGroup { get; set; }

    /// <summary>Exact ContentType.</summary>
    [Id(2)] public string? ContentType { get; set; }

    /// <summary>Properties that must all be equal.</summary>
    [Id(3)] public Dictionary<string, string>? Properties { get; set; }

    /// <summary>Event time at or after.</summary>
    [Id(4)] public DateTimeOffset? From { get; set; }

    /// <summary>Event time before.</summary>
    [Id(5)] public DateTimeOffset? To { get; set; }

    /// <summary>At most this many records (per partition).</summary>
    [Id(6)] public int Max { get; set; } = 100;
}
