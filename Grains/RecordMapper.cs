using System.Runtime.InteropServices;
using Efflux.Storage;
using Efflux.Storage.Integrity;

namespace Efflux.Grains;

/// <summary>Between the contracts and the storage engine: messages to append, and stored records as they travel to readers (their stored bytes).</summary>
internal static class RecordMapper
{
    /// <summary>A message as the storage engine appends it.</summary>
    public static AppendMessage ToAppend(ProduceMessage m) => new(m.Payload)
    {
        Id = m.Id,
        Timestamp = m.Timestamp,
        DataType = m.DataType,
        ContentType = m.ContentType,
        ContentEncoding = m.ContentEncoding,
        Compress = m.Compress,
        MessageGroup = m.MessageGroup,
        Properties = m.Properties,
    };

    /// <summary>The storage engine's durability for an acknowledgement mode.</summary>
    public static Durability ToDurability(Acks acks) => acks switch
    {
        Acks.Leader => Durability.Leader,
        Acks.None => Durability.None,
        _ => Durability.Durable,
    };

    public static RecordData ToData(StoredRecord record) => new() { Offset = record.Offset, Raw = record.Raw.ToArray() };

    public static List<RecordData> ToData(IReadOnlyList<StoredRecord> records) => [.. records.Select(ToData)];

    public static RecordBatch ToBatch(int partition, RawRecords records)
    {
        var pieces = new byte[records.Pieces.Count][];
        for (var i = 0; i < pieces.Length; i++)
        {
            pieces[i] = Array(records.Pieces[i]);
        }

        return new() { Partition = partition, Pieces = pieces, Count = records.Count, FirstOffset = records.FirstOffset, NextOffset = records.NextOffset };
    }

    /// <summary>Bytes as their own array: uncopied when they are one already (storage reads pieces as whole arrays; a result's fingerprint is a slice, so it is copied).</summary>
    public static byte[] Array(ReadOnlyMemory<byte> piece)
        => MemoryMarshal.TryGetArray(piece, out var segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length ? segment.Array : piece.ToArray();

    public static VerifyResult ToResult(int partition, VerificationReport report) => new()
    {
        Partition = partition,
        Ok = report.Ok,
        Records = report.Records,
        FirstBadOffset = report.FirstBadOffset,
        Reason = report.Reason,
        FromOffset = report.FirstOffset,
        NextOffset = report.NextOffset,
        HeadFingerprint = report.HeadFingerprint,
    };
}
