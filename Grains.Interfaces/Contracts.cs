using System.Buffers;
using Efflux.Runtime;

namespace Efflux.Grains;

/// <summary>How long an append waits before it is acknowledged.</summary>
public enum Acks
{
    /// <summary>After the fsync that covers the record (the default).</summary>
    Durable = 0,

    /// <summary>After the write, before the fsync.</summary>
    Leader = 1,

    /// <summary>As soon as the record is queued.</summary>
    None = 2,
}

/// <summary>A topic's configuration.</summary>
[GenerateSerializer]
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

/// <summary>A topic as <c>GET /v1/topics/{ns}/{topic}</c> describes it.</summary>
[GenerateSerializer]
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

/// <summary>The state of one partition.</summary>
[GenerateSerializer]
public sealed class PartitionInfo
{
    /// <summary>The partition number.</summary>
    [Id(0)] public int Partition { get; set; }

    /// <summary>The oldest offset still stored (retention moves it forward).</summary>
    [Id(1)] public long StartOffset { get; set; }

    /// <summary>The offset the next append gets.</summary>
    [Id(2)] public long NextOffset { get; set; }

    /// <summary>Bytes in segment files.</summary>
    [Id(3)] public long Bytes { get; set; }

    /// <summary>Number of segment files.</summary>
    [Id(4)] public int Segments { get; set; }

    /// <summary>Fingerprint of the last record (the genesis value when empty).</summary>
    [Id(5)] public byte[] HeadFingerprint { get; set; } = [];

    /// <summary>The silo endpoint that holds the partition's data.</summary>
    [Id(6)] public string Silo { get; set; } = "";

    /// <summary>True after a write or fsync failure: appends are refused until the partition is reopened.</summary>
    [Id(7)] public bool ReadOnly { get; set; }
}

/// <summary>One message to append.</summary>
[GenerateSerializer]
public sealed class ProduceMessage
{
    /// <summary>Unique id within the topic; repeated ids are idempotent. Generated when null.</summary>
    [Id(0)] public string? Id { get; set; }

    /// <summary>Event time; the append time when null.</summary>
    [Id(1)] public DateTimeOffset? Timestamp { get; set; }

    /// <summary>The kind of event.</summary>
    [Id(2)] public string? DataType { get; set; }

    /// <summary>MIME type of the payload.</summary>
    [Id(3)] public string? ContentType { get; set; }

    /// <summary>Encoding of the payload as given (<c>gzip</c> when the producer compressed it).</summary>
    [Id(4)] public string? ContentEncoding { get; set; }

    /// <summary>Messages of one group go to one partition, in order.</summary>
    [Id(5)] public string? MessageGroup { get; set; }

    /// <summary>String properties, searchable.</summary>
    [Id(6)] public Dictionary<string, string>? Properties { get; set; }

    /// <summary>The payload bytes.</summary>
    [Id(7)] public byte[] Payload { get; set; } = [];

    /// <summary>Compress the payload with gzip when storing it.</summary>
    [Id(8)] public bool Compress { get; set; }
}

/// <summary>Options of one append call.</summary>
[GenerateSerializer]
public sealed class ProduceOptions
{
    /// <summary>When the append is acknowledged.</summary>
    [Id(0)] public Acks Acks { get; set; }

    /// <summary>Append only if the partition's next offset is this one (optimistic concurrency).</summary>
    [Id(1)] public long? ExpectedOffset { get; set; }
}

/// <summary>The acknowledgement of one appended message.</summary>
[GenerateSerializer]
public sealed class ProduceResult
{
    /// <summary>The partition it went to.</summary>
    [Id(0)] public int Partition { get; set; }

    /// <summary>Its offset (the original offset when the id was a repeat).</summary>
    [Id(1)] public long Offset { get; set; }

    /// <summary>Its id.</summary>
    [Id(2)] public string Id { get; set; } = "";

    /// <summary>The fingerprint of its record (empty when acks=none).</summary>
    [Id(3)] public byte[] Fingerprint { get; set; } = [];

    /// <summary>True when the id was already in the partition and nothing was appended.</summary>
    [Id(4)] public bool Duplicate { get; set; }
}

/// <summary>
/// One stored record: its bytes exactly as the log holds them (record format v1, docs/FORMAT.md), so a reader can check
/// the chain itself. <see cref="EffluxMessage"/> reads it.
/// </summary>
[GenerateSerializer]
public sealed class RecordData
{
    /// <summary>The record's offset.</summary>
    [Id(0)] public long Offset { get; set; }

    /// <summary>The record, header id through footer id.</summary>
    [Id(1)] public byte[] Raw { get; set; } = [];
}

/// <summary>
/// A run of consecutive records of one partition, shipped as their stored bytes back to back (no per-record
/// encoding) in pieces of whole records of about 64 KiB: record i has offset <see cref="FirstOffset"/> + i.
/// </summary>
[GenerateSerializer]
public sealed class RecordBatch
{
    /// <summary>The partition.</summary>
    [Id(0)] public int Partition { get; set; }

    /// <summary>
    /// The stored records, back to back, in pieces that each hold whole records. They arrive in the pieces they were
    /// sent in, each an array below the large-object threshold (a reader's megabytes per second stay young garbage).
    /// </summary>
    [Id(1)] public ReadOnlySequence<byte> Data { get; set; }

    /// <summary>The offset to read from next.</summary>
    [Id(2)] public long NextOffset { get; set; }

    /// <summary>The partition's end (its next append offset) when the batch was read.</summary>
    [Id(3)] public long EndOffset { get; set; }

    /// <summary>The partition's oldest stored offset.</summary>
    [Id(4)] public long StartOffset { get; set; }

    /// <summary>How many records <see cref="Data"/> holds.</summary>
    [Id(5)] public int Count { get; set; }

    /// <summary>The offset of the first record.</summary>
    [Id(6)] public long FirstOffset { get; set; }

    /// <summary>The records as messages (views over <see cref="Data"/>, nothing copied).</summary>
    /// <exception cref="FormatException">The data is not a run of framed records.</exception>
    public IEnumerable<EffluxMessage> Messages()
    {
        var pieces = Data.GetEnumerator();
        var piece = ReadOnlyMemory<byte>.Empty;
        for (var i = 0; i < Count; i++)
        {
            while (piece.IsEmpty)
            {
                piece = pieces.MoveNext() ? pieces.Current : throw new FormatException($"Batch of {Count} records ends after {i}.");
            }

            var message = EffluxMessage.First(Partition, FirstOffset + i, piece);
            piece = piece[message.Raw.Length..];
            yield return message;
        }
    }
}

/// <summary>A metadata search within one topic.</summary>
[GenerateSerializer]
public sealed class SearchRequest
{
    /// <summary>Exact DataType.</summary>
    [Id(0)] public string? DataType { get; set; }

    /// <summary>Exact MessageGroup.</summary>
    [Id(1)] public string? MessageGroup { get; set; }

    /// <summary>Exact ContentType.</summary>
    [Id(2)] public string? ContentType { get; set; }

    /// <summary>Properties that must all be equal.</summary>
    [Id(3)] public Dictionary<string, string>? Properties { get; set; }

    /// <summary>Event time at or after.</summary>
    [Id(4)] public DateTimeOffset? From { get; set; }

    /// <summary>Event time before.</summary>
    [Id(5)] public DateTimeOffset? To { get; set; }

    /// <summary>At most this many records (per partition).</summary>
    [Id(6)] public int Max { get; set; } = 100;
}

/// <summary>The result of re-hashing a range of a partition.</summary>
[GenerateSerializer]
public sealed class VerifyResult
{
    /// <summary>The partition.</summary>
    [Id(0)] public int Partition { get; set; }

    /// <summary>True when every checked record and link is intact.</summary>
    [Id(1)] public bool Ok { get; set; }

    /// <summary>Records checked.</summary>
    [Id(2)] public long Records { get; set; }

    /// <summary>The first offset that failed, if any.</summary>
    [Id(3)] public long? FirstBadOffset { get; set; }

    /// <summary>Why it failed.</summary>
    [Id(4)] public string? Reason { get; set; }

    /// <summary>First offset checked.</summary>
    [Id(5)] public long FromOffset { get; set; }

    /// <summary>The partition's next offset.</summary>
    [Id(6)] public long NextOffset { get; set; }

    /// <summary>Fingerprint of the last record checked.</summary>
    [Id(7)] public byte[] HeadFingerprint { get; set; } = [];
}

/// <summary>A consumer group's position on one partition.</summary>
[GenerateSerializer]
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

/// <summary>A consumer group of a topic.</summary>
[GenerateSerializer]
public sealed class GroupInfo
{
    /// <summary>The group name.</summary>
    [Id(0)] public string Group { get; set; } = "";

    /// <summary>Per partition.</summary>
    [Id(1)] public List<GroupPartition> Partitions { get; set; } = [];

    /// <summary>Sum of the partitions' lag.</summary>
    [Id(2)] public long Lag { get; set; }
}
