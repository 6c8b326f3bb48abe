using Efflux.Storage;

namespace Efflux.Grains;

/// <summary>Stored records as they travel to readers.</summary>
internal static class Records
{
    public static RecordData ToData(StoredRecord record) => new()
    {
        Offset = record.Offset,
        Fingerprint = record.Fingerprint.ToArray(),
        Metadata = record.MetadataBytes.ToArray(),
        Payload = record.Payload.ToArray(),
    };

    public static List<RecordData> ToData(IReadOnlyList<StoredRecord> records)
    {
        var list = new List<RecordData>(records.Count);
        foreach (var record in records)
        {
            list.Add(ToData(record));
        }

        return list;
    }
}
