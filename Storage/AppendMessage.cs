namespace Efflux.Storage;

/// <summary>
/// One message to append. Everything but the payload is optional. A value, so that a batch of them is one array rather
/// than an object per message: a batch lives until its fsync, and every object alive then is work for the collector.
/// </summary>
public readonly struct AppendMessage
{
    /// <summary>Creates a message carrying <paramref name="payload"/>.</summary>
    public AppendMessage(ReadOnlyMemory<byte> payload)
    {
        Payload = payload;
    }

    /// <summary>The payload bytes. When <see cref="Compress"/> is set the engine gzips them; otherwise they are stored as given.</summary>
    public ReadOnlyMemory<byte> Payload { get; }

    /// <summary>Caller-chosen unique id; repeating it within the idempotency window returns the original offset.</summary>
    public string? Id { get; init; }

    /// <summary>Event time; defaults to the append time.</summary>
    public DateTimeOffset? Timestamp { get; init; }

    /// <summary>Application-defined payload type.</summary>
    public string? DataType { get; init; }

    /// <summary>MIME type of the payload.</summary>
    public string? ContentType { get; init; }

    /// <summary>Encoding the payload already has (for example <c>gzip</c>); stored as given.</summary>
    public string? ContentEncoding { get; init; }

    /// <summary>When true the engine gzips the payload and sets ContentEncoding to <c>gzip</c>.</summary>
    public bool Compress { get; init; }

    /// <summary>Ordering group.</summary>
    public string? MessageGroup { get; init; }

    /// <summary>Application-defined string properties.</summary>
    public IReadOnlyDictionary<string, string>? Properties { get; init; }
}
