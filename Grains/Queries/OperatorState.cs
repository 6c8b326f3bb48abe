namespace Efflux.Grains.Queries;

/// <summary>
/// An operator grain's checkpoint: the engine's state, the input positions it reflects and the output positions
/// written, saved together so a restarted operator continues exactly where the checkpoint was taken.
/// </summary>
[GenerateSerializer]
[Alias("efflux.OperatorState")]
public sealed class OperatorState
{
    /// <summary>The plan it runs; null before its first start.</summary>
    [Id(0)] public QueryPlan? Plan { get; set; }

    /// <summary>Whether it reads.</summary>
    [Id(1)] public bool Running { get; set; }

    /// <summary>Per source (plan order): the next offset to take into the engine.</summary>
    [Id(2)] public List<long> Positions { get; set; } = [];

    /// <summary>Per source: the greatest event time taken into the engine (long.MinValue: none yet).</summary>
    [Id(3)] public List<long> Watermarks { get; set; } = [];

    /// <summary>Per source: the first offset taken since a row was last attributed to the source (-1: none).</summary>
    [Id(4)] public List<long> Unattributed { get; set; } = [];

    /// <summary>The engine's snapshot (null before any event).</summary>
    [Id(5)] public byte[]? Engine { get; set; }

    /// <summary>Events taken into the engine, this shard's and the others' (their arrival sequence).</summary>
    [Id(6)] public long Sequence { get; set; }

    /// <summary>Events of this shard taken.</summary>
    [Id(7)] public long EventsIn { get; set; }

    /// <summary>Rows emitted (each row's number is its place in this count).</summary>
    [Id(8)] public long RowsOut { get; set; }

    /// <summary>Records left out as not JSON objects.</summary>
    [Id(9)] public long Unreadable { get; set; }

    /// <summary>Per output topic: the offset after the last row this shard wrote there.</summary>
    [Id(10)] public Dictionary<string, long> OutputEnds { get; set; } = [];

    /// <summary>The last error.</summary>
    [Id(11)] public string? LastError { get; set; }

    /// <summary>Whether it stopped on an error.</summary>
    [Id(12)] public bool Failed { get; set; }
}
