namespace Efflux;

/// <summary>The state of one partition.</summary>
[GenerateSerializer]
[Alias("efflux.PartitionInfo")]
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

    /// <summary>
    /// Records handed to readers (fetches, polls, subscriptions, stream queues) since the partition was last opened on
    /// its silo; a counter for read rates, so it starts again at 0 when the partition reopens.
    /// </summary>
    [Id(8)] public long RecordsRead { get; set; }

    /// <summary>Readers parked at the end of the partition until a record arrives: long polls, tail followers, subscription pumps.</summary>
    [Id(9)] public int Waiting { get; set; }
}
