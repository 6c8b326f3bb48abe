namespace Efflux;

/// <summary>How long an append waits before it is acknowledged.</summary>
[GenerateSerializer]
[Alias("efflux.Acks")]
public enum Acks
{
    /// <summary>After the fsync that covers the record (the default).</summary>
    Durable = 0,

    /// <summary>After the write, before the fsync.</summary>
    Leader = 1,

    /// <summary>As soon as the record is queued.</summary>
    None = 2,
}
