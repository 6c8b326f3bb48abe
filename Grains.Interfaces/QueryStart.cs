namespace Efflux;

/// <summary>
/// Where a live query starts reading its topics: the oldest record (the default), the end, an offset per partition, or
/// the first record at or after a time.
/// </summary>
[GenerateSerializer]
[Alias("efflux.QueryStart")]
public sealed class QueryStart
{
    /// <summary>From the oldest stored record.</summary>
    public static QueryStart Earliest => new();

    /// <summary>From the end: only records appended after the query is created.</summary>
    public static QueryStart Latest => new() { FromEnd = true };

    /// <summary>True: from the end of each partition.</summary>
    [Id(0)] public bool FromEnd { get; set; }

    /// <summary>From the first record at or after this time.</summary>
    [Id(1)] public DateTimeOffset? Time { get; set; }

    /// <summary>
    /// Offsets by partition: key <c>{p}</c> for that partition of every source topic, or <c>{topic}/{p}</c> for one
    /// topic. Partitions not named start at the oldest record.
    /// </summary>
    [Id(2)] public Dictionary<string, long>? Offsets { get; set; }
}
