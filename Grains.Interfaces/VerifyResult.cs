namespace Efflux;

/// <summary>The result of re-hashing a range of a partition.</summary>
[GenerateSerializer]
[Alias("efflux.VerifyResult")]
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
