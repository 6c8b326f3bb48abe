namespace Efflux;

/// <summary>A consumer group of a topic.</summary>
[GenerateSerializer]
[Alias("efflux.GroupInfo")]
public sealed class GroupInfo
{
    /// <summary>The group name.</summary>
    [Id(0)] public string Group { get; set; } = "";

    /// <summary>Per partition.</summary>
    [Id(1)] public List<GroupPartition> Partitions { get; set; } = [];

    /// <summary>Sum of the partitions' lag.</summary>
    [Id(2)] public long Lag { get; set; }
}
