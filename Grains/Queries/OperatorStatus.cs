namespace Efflux.Grains.Queries;

/// <summary>An operator grain's progress.</summary>
[GenerateSerializer]
[Alias("efflux.OperatorStatus")]
public sealed class OperatorStatus
{
    /// <summary>Whether it is reading.</summary>
    [Id(0)] public bool Running { get; set; }

    /// <summary>The next offset taken into the windows, per source (in plan order).</summary>
    [Id(1)] public List<long> Positions { get; set; } = [];

    /// <summary>Input records of this shard taken.</summary>
    [Id(2)] public long EventsIn { get; set; }

    /// <summary>Rows written.</summary>
    [Id(3)] public long RowsOut { get; set; }

    /// <summary>Its watermark (epoch ms), or null before any event.</summary>
    [Id(4)] public long? Watermark { get; set; }

    /// <summary>Events dropped as late.</summary>
    [Id(5)] public long Late { get; set; }

    /// <summary>Records left out as not JSON objects.</summary>
    [Id(6)] public long Unreadable { get; set; }

    /// <summary>The last error, or null.</summary>
    [Id(7)] public string? LastError { get; set; }

    /// <summary>Whether it stopped on an error it cannot go past.</summary>
    [Id(8)] public bool Failed { get; set; }
}
