namespace Efflux;

/// <summary>A topic's configuration.</summary>
[GenerateSerializer]
[Alias("efflux.TopicConfig")]
public sealed class TopicConfig
{
    /// <summary>Number of partitions (1–1024; 0 takes the silo's default); fixed once the topic exists.</summary>
    [Id(0)] public int Partitions { get; set; }

    /// <summary>Sealed segments older than this are deleted; null keeps them.</summary>
    [Id(1)] public TimeSpan? RetentionAge { get; set; }

    /// <summary>Oldest sealed segments are deleted while a partition holds more than this; null keeps them.</summary>
    [Id(2)] public long? RetentionBytes { get; set; }

    /// <summary>Largest payload one message may carry, in bytes.</summary>
    [Id(3)] public int MaxMessageBytes { get; set; }

    /// <summary>A segment is sealed and a new one started beyond this size.</summary>
    [Id(4)] public long SegmentBytes { get; set; }
}
