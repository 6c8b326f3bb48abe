namespace Efflux.Grains;

/// <summary>The service's settings: the <c>Efflux</c> configuration section.</summary>
public sealed class EffluxOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Efflux";

    /// <summary>Where partitions keep their segment files (and, by default, grain state and the checkpoint key).</summary>
    public string DataDirectory { get; set; } = "./data";

    /// <summary>A produce to a topic that does not exist creates it with the defaults below.</summary>
    public bool AutoCreateTopics { get; set; } = true;

    /// <summary>Partitions of a topic created without a count.</summary>
    public int DefaultPartitions { get; set; } = 1;

    /// <summary>Largest payload of one message unless the topic says otherwise.</summary>
    public int MaxMessageBytes { get; set; } = 1 << 20;

    /// <summary>Most messages in one append call.</summary>
    public int MaxBatchMessages { get; set; } = 10_000;

    /// <summary>
    /// Largest grain call or response on the wire (Orleans' message body limit): also the most a gateway or silo
    /// connection buffers for one message. A topic's <c>maxMessageBytes</c> must leave 1 MiB of it for the rest.
    /// </summary>
    public int MaxCallBytes { get; set; } = 65 << 20;

    /// <summary>Largest HTTP request body.</summary>
    public long MaxRequestBytes { get; set; } = 32L << 20;

    /// <summary>Segment size at which a new segment starts unless the topic says otherwise.</summary>
    public long SegmentBytes { get; set; } = 256L << 20;

    /// <summary>Default retention by age (null: keep).</summary>
    public TimeSpan? RetentionAge { get; set; }

    /// <summary>Default retention by bytes per partition (null: keep).</summary>
    public long? RetentionBytes { get; set; }

    /// <summary>PEM file of the ECDSA P-256 key that signs head checkpoints; created at first start when missing. Default: <c>{DataDirectory}/@checkpoint-key.pem</c>.</summary>
    public string? CheckpointKeyPath { get; set; }

    /// <summary>Longest a long poll may wait.</summary>
    public TimeSpan MaxWait { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>The most partitions any topic can have (the ceiling of <see cref="MaxPartitionsPerTopic"/>).</summary>
    public const int MaxPartitions = 1024;

    /// <summary>The most partitions one topic may have (at most <see cref="MaxPartitions"/>).</summary>
    public int MaxPartitionsPerTopic { get; set; } = 256;

    /// <summary>The most partitions whose files one silo may keep, over all topics: a topic that would take a silo past it is refused.</summary>
    public int MaxPartitionsPerSilo { get; set; } = 4096;

    /// <summary>A partition (and a segment) with no call for this long closes its files and leaves memory.</summary>
    public TimeSpan PartitionIdleTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Operator grains of a live query keyed by GROUP BY attributes, unless the query asks for another number.</summary>
    public int QueryShards { get; set; } = 2;

    /// <summary>A source partition of a live query with no new record for this long is left out of its watermark.</summary>
    public TimeSpan QueryIdleTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The data directory as an absolute path.</summary>
    public string FullDataDirectory => Path.GetFullPath(DataDirectory);
}
