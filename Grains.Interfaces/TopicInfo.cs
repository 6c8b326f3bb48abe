namespace Efflux;

/// <summary>A topic as <c>GET /v1/topics/{ns}/{topic}</c> describes it.</summary>
[GenerateSerializer]
[Alias("efflux.TopicInfo")]
public sealed class TopicInfo
{
    /// <summary>The namespace.</summary>
    [Id(0)] public string Namespace { get; set; } = "";

    /// <summary>The topic name.</summary>
    [Id(1)] public string Topic { get; set; } = "";

    /// <summary>The configuration.</summary>
    [Id(2)] public TopicConfig Config { get; set; } = new();

    /// <summary>When the topic was created.</summary>
    [Id(3)] public DateTimeOffset Created { get; set; }

    /// <summary>Per partition: offsets, size, head.</summary>
    [Id(4)] public List<PartitionInfo> Partitions { get; set; } = [];
}
