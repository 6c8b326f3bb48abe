using System.ComponentModel.DataAnnotations;

namespace Efflux.Grains;

/// <summary>
/// The service's settings: the <c>Efflux</c> configuration section. Validated when the silo starts: a bad value stops
/// it with a message that names the key.
/// </summary>
public sealed class EffluxOptions : IValidatableObject
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Efflux";

    /// <summary>The most partitions any topic can have (the ceiling of <see cref="MaxPartitionsPerTopic"/>).</summary>
    public const int MaxPartitions = 1024;

    /// <summary>Where partitions keep their segment files (and, by default, grain state and the checkpoint key).</summary>
    /// <value>Default <c>./data</c>.</value>
    [Required(AllowEmptyStrings = false, ErrorMessage = "Efflux:DataDirectory must name a directory.")]
    public string DataDirectory { get; set; } = "./data";

    /// <summary>A produce to a topic that does not exist creates it with the defaults below.</summary>
    /// <value>Default true.</value>
    public bool AutoCreateTopics { get; set; } = true;

    /// <summary>Partitions of a topic created without a count.</summary>
    /// <value>Default 1; 1 to <see cref="MaxPartitionsPerTopic"/>.</value>
    [Range(1, MaxPartitions, ErrorMessage = "Efflux:DefaultPartitions must be 1 to 1024.")]
    public int DefaultPartitions { get; set; } = 1;

    /// <summary>Largest payload of one message unless the topic says otherwise.</summary>
    /// <value>Default 1 MiB; 1 byte to 64 MiB.</value>
    [Range(1, 64 << 20, ErrorMessage = "Efflux:MaxMessageBytes must be 1 to 67108864 (64 MiB).")]
    public int MaxMessageBytes { get; set; } = 1 << 20;

    /// <summary>Most messages in one append call.</summary>
    /// <value>Default 10,000; 1 to 1,000,000.</value>
    [Range(1, 1_000_000, ErrorMessage = "Efflux:MaxBatchMessages must be 1 to 1000000.")]
    public int MaxBatchMessages { get; set; } = 10_000;

    /// <summary>
    /// Largest grain call or response on the wire (Orleans' message body limit): also the most a gateway or silo
    /// connection buffers for one message. A topic's <c>maxMessageBytes</c> must leave 1 MiB of it for the rest.
    /// </summary>
    /// <value>Default 65 MiB; 2 MiB to 1 GiB, and at least <see cref="MaxMessageBytes"/> + 1 MiB.</value>
    [Range(2 << 20, 1 << 30, ErrorMessage = "Efflux:MaxCallBytes must be 2097152 (2 MiB) to 1073741824 (1 GiB).")]
    public int MaxCallBytes { get; set; } = 65 << 20;

    /// <summary>Largest HTTP request body.</summary>
    /// <value>Default 32 MiB; 1 KiB to 2 GiB.</value>
    [Range(1L << 10, 2L << 30, ErrorMessage = "Efflux:MaxRequestBytes must be 1024 to 2147483648 (2 GiB).")]
    public long MaxRequestBytes { get; set; } = 32L << 20;

    /// <summary>Segment size at which a new segment starts unless the topic says otherwise.</summary>
    /// <value>Default 256 MiB; 4 KiB to 64 GiB.</value>
    [Range(4L << 10, 64L << 30, ErrorMessage = "Efflux:SegmentBytes must be 4096 to 68719476736 (64 GiB).")]
    public long SegmentBytes { get; set; } = 256L << 20;

    /// <summary>Default retention by age (null: keep).</summary>
    /// <value>Default none (keep everything); when set, positive.</value>
    [Range(typeof(TimeSpan), "00:00:01", "36500.00:00:00", ErrorMessage = "Efflux:RetentionAge must be 1 second to 100 years.")]
    public TimeSpan? RetentionAge { get; set; }

    /// <summary>Default retention by bytes per partition (null: keep).</summary>
    /// <value>Default none (keep everything); when set, positive.</value>
    [Range(1L, long.MaxValue, ErrorMessage = "Efflux:RetentionBytes must be positive.")]
    public long? RetentionBytes { get; set; }

    /// <summary>PEM file of the ECDSA P-256 key that signs head checkpoints; created at first start when missing.</summary>
    /// <value>Default <c>{DataDirectory}/@checkpoint-key.pem</c>.</value>
    public string? CheckpointKeyPath { get; set; }

    /// <summary>Longest a long poll may wait.</summary>
    /// <value>Default 20 s; 1 ms to 1 hour.</value>
    [Range(typeof(TimeSpan), "00:00:00.001", "01:00:00", ErrorMessage = "Efflux:MaxWait must be 1 ms to 1 hour.")]
    public TimeSpan MaxWait { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// Longest an append of an SDK producer waits at its partition for the same producer's earlier appends, which Orleans
    /// may deliver later (see <see cref="AppendSequence"/>); past it the append fails as unavailable.
    /// </summary>
    /// <value>Default 10 s; 1 ms to 1 hour.</value>
    [Range(typeof(TimeSpan), "00:00:00.001", "01:00:00", ErrorMessage = "Efflux:ProducerOrderWait must be 1 ms to 1 hour.")]
    public TimeSpan ProducerOrderWait { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The most partitions one topic may have (at most <see cref="MaxPartitions"/>).</summary>
    /// <value>Default 256; 1 to 1024.</value>
    [Range(1, MaxPartitions, ErrorMessage = "Efflux:MaxPartitionsPerTopic must be 1 to 1024.")]
    public int MaxPartitionsPerTopic { get; set; } = 256;

    /// <summary>The most partitions whose files one silo may keep, over all topics: a topic that would take a silo past it is refused.</summary>
    /// <value>Default 4096; at least 1.</value>
    [Range(1, int.MaxValue, ErrorMessage = "Efflux:MaxPartitionsPerSilo must be positive.")]
    public int MaxPartitionsPerSilo { get; set; } = 4096;

    /// <summary>A partition (and a segment) with no call for this long closes its files and leaves memory.</summary>
    /// <value>Default 2 minutes; 1 second to 1 day.</value>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00", ErrorMessage = "Efflux:PartitionIdleTimeout must be 1 second to 1 day.")]
    public TimeSpan PartitionIdleTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Operator grains of a live query keyed by GROUP BY attributes, unless the query asks for another number.</summary>
    /// <value>Default 2; 1 to 64.</value>
    [Range(1, 64, ErrorMessage = "Efflux:QueryShards must be 1 to 64.")]
    public int QueryShards { get; set; } = 2;

    /// <summary>A source partition of a live query with no new record for this long is left out of its watermark.</summary>
    /// <value>Default 5 s; 10 ms to 1 day.</value>
    [Range(typeof(TimeSpan), "00:00:00.010", "1.00:00:00", ErrorMessage = "Efflux:QueryIdleTimeout must be 10 ms to 1 day.")]
    public TimeSpan QueryIdleTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Zeros the storage engine keeps written ahead of each active segment's last record while appends are small, so
    /// that their fdatasync writes data only (see docs/OPERATIONS.md, Durability).
    /// </summary>
    /// <value>Default 256 KiB; 0 (none) to 64 MiB.</value>
    [Range(0L, 64L << 20, ErrorMessage = "Efflux:ZeroAheadBytes must be 0 to 67108864 (64 MiB).")]
    public long ZeroAheadBytes { get; set; } = 256L << 10;

    /// <summary>How long <c>leader</c> and <c>none</c> writes of a partition may stay unsynced before the engine fsyncs them.</summary>
    /// <value>Default 1 s; 10 ms to 1 hour.</value>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00", ErrorMessage = "Efflux:UnsyncedFlushInterval must be 10 ms to 1 hour.")]
    public TimeSpan UnsyncedFlushInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The data directory as an absolute path.</summary>
    public string FullDataDirectory => Path.GetFullPath(DataDirectory);

    /// <summary>The rules that involve two settings.</summary>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (DefaultPartitions > MaxPartitionsPerTopic)
        {
            yield return new ValidationResult($"Efflux:DefaultPartitions ({DefaultPartitions}) is more than Efflux:MaxPartitionsPerTopic ({MaxPartitionsPerTopic}).", [nameof(DefaultPartitions)]);
        }

        if ((long)MaxMessageBytes + (1 << 20) > MaxCallBytes)
        {
            yield return new ValidationResult($"Efflux:MaxCallBytes ({MaxCallBytes}) must leave 1 MiB beyond Efflux:MaxMessageBytes ({MaxMessageBytes}).", [nameof(MaxCallBytes)]);
        }
    }
}
