using Efflux.Storage;

namespace Efflux.Grains;

/// <summary>Stored records as they travel to readers: their stored bytes.</summary>
internal static class Records
{
    public static RecordData ToData(StoredRecord record) => new() { Offset = record.Offset, Raw = record.Raw.ToArray() };

    public static List<RecordData> ToData(IReadOnlyList<StoredRecord> records) => [.. records.Select(ToData)];

    public static RecordBatch ToBatch(int partition, RawRecords records)
        => new() { Partition = partition, Data = records.Data, Count = records.Count, FirstOffset = records.FirstOffset, NextOffset = records.NextOffset };
}
