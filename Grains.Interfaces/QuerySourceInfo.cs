namespace Efflux;

/// <summary>A live query's progress in one source partition.</summary>
[GenerateSerializer]
[Alias("efflux.QuerySourceInfo")]
public sealed class QuerySourceInfo
{
    /// <summary>The topic.</summary>
    [Id(0)] public string Topic { get; set; } = "";

    /// <summary>The partition.</summary>
    [Id(1)] public int Partition { get; set; }

    /// <summary>The next offset the query takes into its windows (the slowest operator's).</summary>
    [Id(2)] public long Position { get; set; }

    /// <summary>The partition's next offset (null when the partition could not be reached).</summary>
    [Id(3)] public long? EndOffset { get; set; }

    /// <summary>Records not yet taken: <see cref="EndOffset"/> − <see cref="Position"/>.</summary>
    [Id(4)] public long? Lag { get; set; }
}
