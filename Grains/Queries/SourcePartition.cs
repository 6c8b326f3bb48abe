namespace Efflux.Grains.Queries;

/// <summary>One partition a live query reads, and where it starts.</summary>
[GenerateSerializer]
[Alias("efflux.SourcePartition")]
public sealed class SourcePartition
{
    /// <summary>The topic (of the query's namespace).</summary>
    [Id(0)] public string Topic { get; set; } = "";

    /// <summary>The partition.</summary>
    [Id(1)] public int Partition { get; set; }

    /// <summary>The first offset the query reads.</summary>
    [Id(2)] public long Start { get; set; }
}
