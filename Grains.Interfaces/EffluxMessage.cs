using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;

namespace Efflux.Grains;

/// <summary>
/// A stored message as readers see it: the metadata fields parsed from the record's stored metadata JSON, the payload
/// (decompressed when the producer asked for gzip) and what is needed to check the chain.
/// </summary>
public sealed class EffluxMessage
{
    private long _storedOffset;

    private EffluxMessage(int partition, RecordData record)
    {
        Partition = partition;
        Record = record;
    }

    /// <summary>The partition.</summary>
    public int Partition { get; }

    /// <summary>The stored record (fingerprint, metadata bytes, stored payload).</summary>
    public RecordData Record { get; }

    /// <summary>The offset.</summary>
    public long Offset => Record.Offset;

    /// <summary>The id (unique per topic).</summary>
    public string Id { get; private set; } = "";

    /// <summary>Event time.</summary>
    public DateTimeOffset Timestamp { get; private set; }

    /// <summary>Append time.</summary>
    public DateTimeOffset Created { get; private set; }

    /// <summary>The kind of event.</summary>
    public string? DataType { get; private set; }

    /// <summary>The payload's MIME type.</summary>
    public string? ContentType { get; private set; }

    /// <summary>The stored payload's encoding (gzip).</summary>
    public string? ContentEncoding { get; private set; }

    /// <summary>The message group.</summary>
    public string? MessageGroup { get; private set; }

    /// <summary>Properties.</summary>
    public IReadOnlyDictionary<string, string> Properties { get; private set; } = new Dictionary<string, string>();

    /// <summary>SHA-256 of the metadata bytes.</summary>
    public ReadOnlyMemory<byte> Fingerprint => Record.Fingerprint;

    /// <summary>The previous record's fingerprint (the genesis value at offset 0).</summary>
    public byte[] LinkedFingerprint { get; private set; } = [];

    /// <summary>SHA-256 of the stored payload.</summary>
    public byte[] PayloadHash { get; private set; } = [];

    /// <summary>The payload, decompressed when it is stored as gzip.</summary>
    public byte[] Payload => ContentEncoding == "gzip" ? Gunzip(Record.Payload) : Record.Payload;

    /// <summary>True when the content type is JSON (<c>application/json</c> or <c>…+json</c>).</summary>
    public bool IsJson => ContentType is { } type && (type.StartsWith("application/json", StringComparison.OrdinalIgnoreCase)
        || type.Split(';')[0].Trim().EndsWith("+json", StringComparison.OrdinalIgnoreCase));

    /// <summary>Parses a record's metadata.</summary>
    /// <exception cref="FormatException">The metadata is not the JSON object of the record format.</exception>
    public static EffluxMessage From(int partition, RecordData record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var message = new EffluxMessage(partition, record);
        try
        {
            using var json = JsonDocument.Parse(record.Metadata);
            var root = json.RootElement;
            message.Id = root.GetProperty(Field.Id).GetString() ?? "";
            message._storedOffset = root.GetProperty(Field.Offset).GetInt64();
            message.Created = DateTimeOffset.Parse(root.GetProperty(Field.Created).GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
            message.Timestamp = Optional(root, Field.Timestamp) is { } timestamp
                ? DateTimeOffset.Parse(timestamp, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal)
                : message.Created;
            message.PayloadHash = Convert.FromBase64String(root.GetProperty(Field.PayloadHash).GetString()!);
            message.LinkedFingerprint = Convert.FromBase64String(root.GetProperty(Field.LinkedFingerprint).GetString()!);
            message.DataType = Optional(root, Field.DataType);
            message.ContentType = Optional(root, Field.ContentType);
            message.ContentEncoding = Optional(root, Field.ContentEncoding);
            message.MessageGroup = Optional(root, Field.MessageGroup);
            if (root.TryGetProperty(Field.Properties, out var properties) && properties.ValueKind == JsonValueKind.Object)
            {
                message.Properties = properties.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? "", StringComparer.Ordinal);
            }
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new FormatException($"The metadata of record {record.Offset} is not a record-format metadata object: {ex.Message}", ex);
        }

        return message;
    }

    /// <summary>
    /// Checks the record itself (fingerprint over the metadata, payload hash, offset) and, when given, its link to the
    /// previous record's fingerprint. Null when intact, else the reason.
    /// </summary>
    public string? Check(ReadOnlySpan<byte> previousFingerprint)
    {
        if (!SHA256.HashData(Record.Metadata).AsSpan().SequenceEqual(Record.Fingerprint))
        {
            return $"offset {Offset}: the fingerprint does not match the metadata";
        }

        if (_storedOffset != Offset)
        {
            return $"offset {Offset}: the record says it is offset {_storedOffset}";
        }

        if (!SHA256.HashData(Record.Payload).AsSpan().SequenceEqual(PayloadHash))
        {
            return $"offset {Offset}: the payload does not match its hash";
        }

        if (!previousFingerprint.IsEmpty && !previousFingerprint.SequenceEqual(LinkedFingerprint))
        {
            return $"offset {Offset}: it does not link to the previous record's fingerprint";
        }

        return null;
    }

    /// <summary>The genesis link of a partition's first record.</summary>
    public static byte[] Genesis(string ns, string topic, int partition)
        => SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"efflux/v1/{ns}/{topic}/{partition}")));

    /// <summary>
    /// Writes the message as JSON: <c>partition, offset, id, timestamp, created, dataType, contentType, contentEncoding,
    /// messageGroup, properties, fingerprint, linkedFingerprint, payloadHash</c> and <c>data</c> (JSON content) or
    /// <c>dataBase64</c> — the shape of the REST API and the CLI.
    /// </summary>
    public void WriteJson(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteNumber("partition", Partition);
        writer.WriteNumber("offset", Offset);
        writer.WriteString("id", Id);
        writer.WriteString("timestamp", Timestamp);
        writer.WriteString("created", Created);
        WriteOptional(writer, "dataType", DataType);
        WriteOptional(writer, "contentType", ContentType);
        WriteOptional(writer, "contentEncoding", ContentEncoding);
        WriteOptional(writer, "messageGroup", MessageGroup);
        if (Properties.Count > 0)
        {
            writer.WriteStartObject("properties");
            foreach (var (k, v) in Properties)
            {
                writer.WriteString(k, v);
            }

            writer.WriteEndObject();
        }

        writer.WriteBase64String("fingerprint", Fingerprint.Span);
        writer.WriteBase64String("linkedFingerprint", LinkedFingerprint);
        writer.WriteBase64String("payloadHash", PayloadHash);
        WriteData(writer, "data", "dataBase64");
        writer.WriteEndObject();
    }

    /// <summary>Writes the payload as a JSON value named <paramref name="jsonName"/> when it is JSON content, else base64 under <paramref name="base64Name"/>.</summary>
    public void WriteData(Utf8JsonWriter writer, string jsonName, string base64Name)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var payload = Payload;
        if (IsJson && IsJsonValue(payload))
        {
            writer.WritePropertyName(jsonName);
            writer.WriteRawValue(payload, skipInputValidation: true);
        }
        else
        {
            writer.WriteBase64String(base64Name, payload);
        }
    }

    private static bool IsJsonValue(byte[] payload)
    {
        var reader = new Utf8JsonReader(payload);
        try
        {
            reader.Read();
            reader.Skip();
            return !reader.Read();
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static void WriteOptional(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }

    private static string? Optional(JsonElement root, string name)
        => root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static byte[] Gunzip(byte[] stored)
    {
        using var input = new GZipStream(new MemoryStream(stored), CompressionMode.Decompress);
        using var output = new MemoryStream();
        input.CopyTo(output);
        return output.ToArray();
    }

    /// <summary>The metadata field names of record format v1 (docs/FORMAT.md).</summary>
    private static class Field
    {
        public const string Id = "Id";
        public const string Offset = "Offset";
        public const string Created = "Created";
        public const string Timestamp = "Timestamp";
        public const string PayloadHash = "PayloadHash";
        public const string LinkedFingerprint = "LinkedFingerprint";
        public const string DataType = "DataType";
        public const string ContentType = "ContentType";
        public const string ContentEncoding = "ContentEncoding";
        public const string MessageGroup = "MessageGroup";
        public const string Properties = "Properties";
    }
}
