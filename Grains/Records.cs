using Efflux.Storage;

namespace Efflux.Grains;

/// <summary>Stored records as they travel to readers: their stored bytes, copied once.</summary>
internal static class Records
{
    public static RecordData ToData(StoredRecord record) => new() { Offset = record.Offset, Raw = record.Raw.ToArray() };

    public static List<RecordData> ToData(IReadOnlyList<StoredRecord> records) => [.. records.Select(ToData)];

    public static RecordBatch ToBatch(int partition, long fromOffset, IReadOnlyList<StoredRecord> records)
    {
        var data = GC.AllocateUninitializedArray<byte>(records.Sum(r => r.Raw.Length));
        var at = 0;
        foreach (var record in records)
        {
            record.Raw.Span.CopyTo(data.AsSpan(at));
            at += record.Raw.Length;
        }

        return new RecordBatch { Partition = partition, Data = data, Count = records.Count, FirstOffset = records.Count == 0 ? fromOffset : records[0].Offset, NextOffset = records.Count == 0 ? fromOffset : records[^1].Offset + 1 };
    }
}
