namespace Efflux;

/// <summary>Options of one append call.</summary>
[GenerateSerializer]
[Alias("efflux.ProduceOptions")]
public sealed class ProduceOptions
{
    /// <summary>When the append is acknowledged.</summary>
    [Id(0)] public Acks Acks { get; set; }

    /// <summary>Append only if the partition's next offset is this one (optimistic concurrency).</summary>
    [Id(1)] public long? ExpectedOffset { get; set; }

    /// <summary>Orders this append among a producer's appends to the partition (the SDK's <c>Producer</c> sets it).</summary>
    [Id(2)] public AppendSequence? Sequence { get; set; }
}
