namespace Efflux;

/// <summary>One message to append.</summary>
[GenerateSerializer]
[Alias("efflux.ProduceMessage")]
public sealed class ProduceMessage
{
    /// <summary>Unique id within the topic; repeated ids are idempotent. Generated when null.</summary>
    [Id(0)] public string? Id { get; set; }

    /// <summary>Event time; the append time when null.</summary>
    [Id(1)] public DateTimeOffset? Timestamp { get; set; }

    /// <summary>The kind of event.</summary>
    [Id(2)] public string? DataType { get; set; }

    /// <summary>MIME type of the payload.</summary>
    [Id(3)] public string? ContentType { get; set; }

    /// <summary>Encoding of the payload as given (<c>gzip</c> when the producer compressed it).</summary>
    [Id(4)] public string? ContentEncoding { get; set; }

    /// <summary>Messages of one group go to one partition, in order.</summary>
    [Id(5)] public string? MessageGroup { get; set; }

    /// <summary>String properties, searchable.</summary>
    [Id(6)] public Dictionary<string, string>? Properties { get; set; }

    /// <summary>The payload bytes.</summary>
    [Id(7)] public byte[] Payload { get; set; } = [];

    /// <summary>Compress the payload with gzip when storing it.</summary>
    [Id(8)] public bool Compress { get; set; }
}
