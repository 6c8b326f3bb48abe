namespace Efflux;

/// <summary>A consumer group's position on one partition.</summary>
[GenerateSerializer]
[Alias("efflux.GroupPartition")]
public sealed class GroupPartition
{
    /// <summary>The partition.</summary>
    [Id(0)] public int Partition { get; set; }

    /// <summary>The committed offset: the next offset the group will read (null: nothing committed yet).</summary>
    [Id(1)] public long? Committed { get; set; }

    /// <summary>The partition's end.</summary>
    [Id(2)] public long End { get; set; }

    /// <summary>Records the group has not committed yet.</summary>
    [Id(3)] public long Lag { get; set; }
}
