namespace Efflux;

/// <summary>
/// The acknowledgement of one appended message. Immutable once made: a call inside a silo hands the same object over,
/// uncopied (Orleans otherwise copies every result it returns, fingerprint array included).
/// </summary>
[GenerateSerializer]
[Immutable]
[Alias("efflux.ProduceResult")]
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
