namespace Efflux.Grains;

/// <summary>
/// One stored record: its bytes exactly as the log holds them (record format v1, docs/FORMAT.md), so a reader can check
/// the chain itself. <see cref="EffluxMessage"/> reads it.
/// </summary>
[GenerateSerializer]
[Alias("efflux.RecordData")]
public sealed class RecordData
{
    /// <summary>The record's offset.</summary>
    [Id(0)] public long Offset { get; set; }

    /// <summary>The record, header id through footer id.</summary>
    [Id(1)] public byte[] Raw { get; set; } = [];
}
