using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Efflux.Storage.IO;

namespace Efflux.Storage;

/// <summary>Settings of one partition log. Read once when the log opens.</summary>
public sealed class PartitionLogOptions
{
    /// <summary>Roll to a new segment when the active one would pass this size (default 256 MiB, at most 1 GiB).</summary>
    public long SegmentMaxBytes { get; set; } = 256L << 20;

    /// <summary>Roll to a new segment when the active one's first record is older than this (default 7 days).</summary>
    public TimeSpan SegmentMaxAge { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How long a caller-supplied id is remembered for idempotent appends (default 10 minutes).</summary>
    public TimeSpan IdempotencyWindow { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>At most this many ids are remembered (default 1,000,000); the oldest are forgotten first.</summary>
    public int IdempotencyMaxEntries { get; set; } = 1_000_000;

    /// <summary>Delete sealed segments whose newest record is older than this (null: keep forever).</summary>
    public TimeSpan? RetentionAge { get; set; }

    /// <summary>Delete the oldest sealed segments while the partition is larger than this (null: no limit).</summary>
    public long? RetentionBytes { get; set; }

    /// <summary>Most bytes one group commit writes (default 4 MiB); larger batches are split.</summary>
    public int MaxBatchBytes { get; set; } = 4 << 20;

    /// <summary>Requests waiting for the writer before producers are made to wait (back-pressure, default 4096).</summary>
    public int QueueCapacity { get; set; } = 4096;

    /// <summary>
    /// Records acknowledged before their fsync (<see cref="Durability.Leader"/>, <see cref="Durability.None"/>) are
    /// fsynced once no fsync has been asked for this long (default 1 s; <see cref="Timeout.InfiniteTimeSpan"/>: only by
    /// a durable append, a segment roll, <see cref="PartitionLog.FlushAsync"/> or closing). This bounds what a power
    /// loss can take from them, and keeps the kernel from holding their dirty pages until it writes them back in one
    /// burst, which stalls other files' fsyncs on the same disk.
    /// </summary>
    public TimeSpan UnsyncedFlushInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Zeros the writer keeps written ahead of the last record of the active segment while appends are small (default
    /// 256 KiB; 0: none), so every open partition's active file holds up to this much more than its records. An
    /// fdatasync after an append that grew the file must also write the file's new size; one after an append into
    /// bytes already written (the zeros) writes only the data, about a third faster on ext4. The zeros are cut off when
    /// the segment is rolled or the log closed, and after a crash recovery cuts them as a torn tail.
    /// </summary>
    public long ZeroAheadBytes { get; set; } = 256L << 10;

    /// <summary>Write a recovery checkpoint after this many durable bytes (default 8 MiB).</summary>
    public long CheckpointIntervalBytes { get; set; } = 8L << 20;

    /// <summary>Largest payload accepted (default 16 MiB).</summary>
    public int MaxPayloadBytes { get; set; } = 16 << 20;

    /// <summary>Clock for Created times, idempotency and retention ages.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>
    /// Where the log reports its lifecycle (open and recovery, segment rolls, retention, close) at Information, each
    /// written batch and fsync at Debug, each record at Trace, and every failure at Warning or Error.
    /// </summary>
    /// <value>Default: no logging.</value>
    public ILogger Logger { get; set; } = NullLogger.Instance;

    /// <summary>File operations of the write path.</summary>
    public IStorageFileSystem FileSystem { get; set; } = PhysicalFileSystem.Instance;

    internal void Validate()
    {
        if (SegmentMaxBytes < 4096 || SegmentMaxBytes > RecordLayoutLimits.MaxSegmentBytes)
        {
            throw new ArgumentOutOfRangeException(nameof(SegmentMaxBytes), SegmentMaxBytes, "Segment size must be between 4 KiB and 1 GiB.");
        }

        if (MaxBatchBytes < 4096)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxBatchBytes), MaxBatchBytes, "Batches must allow at least 4 KiB.");
        }

        if (UnsyncedFlushInterval != Timeout.InfiniteTimeSpan && UnsyncedFlushInterval <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(UnsyncedFlushInterval), UnsyncedFlushInterval, "The unsynced flush interval must be positive or infinite.");
        }

        if (QueueCapacity < 1 || IdempotencyMaxEntries < 0 || MaxPayloadBytes < 0 || CheckpointIntervalBytes < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(QueueCapacity), "Queue capacity, idempotency entries, payload limit and checkpoint interval must be positive.");
        }
    }
}
