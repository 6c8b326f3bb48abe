namespace Efflux.Storage;

/// <summary>When an append is acknowledged.</summary>
public enum Durability
{
    /// <summary>After the fsync that covers the record (the default).</summary>
    Durable,

    /// <summary>After the write to the file (the record survives a process crash, not a power loss).</summary>
    Leader,

    /// <summary>As soon as the record has its offset; it is written with the next batch.</summary>
    None,
}
