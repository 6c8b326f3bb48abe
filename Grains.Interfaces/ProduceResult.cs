namespace Efflux;

/// <summary>
/// The acknowledgement of one appended message. Immutable once made: a call inside a silo hands the same object over,
/// uncopied (Orleans otherwise copies every result it returns, fingerprint array included).
/// </summary>
/// <remarks>Serialized by <see cref="ProduceResultCodec"/>.</remarks>
[Immutable]
[Alias("efflux.ProduceResult")]
public sealed class ProduceResult
{
    /// <summary>The partition it went to.</summary>
    public int Partition { get; set; }

    /// <summary>Its offset (the original offset when the id was a repeat).</summary>
    public long Offset { get; set; }

    /// <summary>Its id.</summary>
    public string Id { get; set; } = "";

    /// <summary>The fingerprint of its record (empty when acks=none).</summary>
    public byte[] Fingerprint { get; set; } = [];

    /// <summary>True when the id was already in the partition and nothing was appended.</summary>
    public bool Duplicate { get; set; }
}
