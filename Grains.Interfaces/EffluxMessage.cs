using System.Buffers.Binary;
using System.Collections.ObjectModel;
using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;

namespace Efflux.Grains;

/// <summary>
/// A stored message as readers see it: a view over the record's stored bytes (record format v1, docs/FORMAT.md). The
/// metadata JSON is parsed on first use; the payload is decompressed when the producer asked for gzip; <see cref="Check"/>
/// re-checks the record and its link, so a reader can verify the chain without trusting the silo.
/// </summary>
public sealed class EffluxMessage
{
    private const int HeaderBytes = 46;
    private const int TrailerBytes = 8;
    private const int HashBytes = 32;
    private static readonly byte[] HeaderId = [0x05, 0x01, 0x14, 0x29, 0x83, 0x0A];
    private static readonly byte[] FooterId = [0x06, 0x11, 0x52, 0x5B];

    private readonly ReadOnlyMemory<byte> _raw;
    private readonly int _metadataLength;

    // The parsed metadata, once asked for: a reader that only looks at payloads and offsets never allocates it.
    private Metadata? _metadata;

    private EffluxMessage(int partition, long offset, ReadOnlyMemory<byte> raw, int metadataLength)
    {
        Partition = partition;
        Offset = offset;
        _raw = raw;
        _metadataLength = metadataLength;
    }

    /// <summary>The partition.</summary>
    public int Partition { get; }

    /// <summary>The offset.</summary>
    public long Offset { get; }

    /// <summary>The record's stored bytes, header id through footer id.</summary>
    public ReadOnlyMemory<byte> Raw => _raw;

    /// <summary>SHA-256 of the metadata bytes, as stored in the record.</summary>
    public ReadOnlyMemory<byte> Fingerprint => _raw.Slice(14, HashBytes);

    /// <summary>The metadata JSON, byte for byte as stored.</summary>
    public ReadOnlyMemory<byte> MetadataBytes => _raw.Slice(HeaderBytes, _metadataLength);

    /// <summary>The payload as stored (still compressed when <see cref="ContentEncoding"/> is gzip).</summary>
    public ReadOnlyMemory<byte> StoredPayload => _raw[(HeaderBytes + _metadataLength)..^TrailerBytes];

    /// <summary>The id (unique per topic).</summary>
    public string Id => Parsed().Id;

    /// <summary>Event time.</summary>
    public DateTimeOffset Timestamp => Parsed().Timestamp;

    /// <summary>Append time.</summary>
    public DateTimeOffset Created => Parsed().Created;

    /// <summary>The kind of event.</summary>
    public string? DataType => Parsed().DataType;

    /// <summary>The payload's MIME type.</summary>
    public string? ContentType => Parsed().ContentType;

    /// <summary>The stored payload's encoding (gzip).</summary>
    public string? ContentEncoding => Parsed().ContentEncoding;

    /// <summary>The message group.</summary>
    public string? MessageGroup => Parsed().MessageGroup;

    /// <summary>Properties.</summary>
    public IReadOnlyDictionary<string, string> Properties => Parsed().Properties;

    /// <summary>The previous record's fingerprint (the genesis value at offset 0).</summary>
    public byte[] LinkedFingerprint => Parsed().LinkedFingerprint;

    /// <summary>SHA-256 of the stored payload.</summary>
    public byte[] PayloadHash => Parsed().PayloadHash;

    /// <summary>The payload, decompressed when it is stored as gzip.</summary>
    /// <exception cref="InvalidDataException">The record says gzip but its payload is not a gzip stream (see <see cref="TryDecodePayload"/>).</exception>
    public byte[] Payload => TryDecodePayload(out var payload) ? payload : throw new InvalidDataException($"Record {Offset} declares ContentEncoding {ContentEncoding} but its payload cannot be decoded; StoredPayload has the bytes as stored.");

    /// <summary>
    /// The payload with its content encoding undone: false when the record declares an encoding this reader cannot
    /// undo (unknown, or gzip that is not a gzip stream), with <paramref name="payload"/> then the bytes as stored.
    /// </summary>
    public bool TryDecodePayload(out byte[] payload)
    {
        switch (ContentEncoding)
        {
            case null:
            case var identity when identity.Equals("identity", StringComparison.OrdinalIgnoreCase):
                payload = StoredPayload.ToArray();
                return true;
            case var gzip when gzip.Equals("gzip", StringComparison.OrdinalIgnoreCase):
                try
                {
                    payload = Gunzip(StoredPayload);
                    return true;
                }
                catch (InvalidDataException)
                {
                    payload = StoredPayload.ToArray();
                    return false;
                }

            default:
                payload = StoredPayload.ToArray();
                return false;
        }
    }

    /// <summary>True when the content type is JSON (<c>application/json</c> or <c>…+json</c>).</summary>
    public bool IsJson => ContentType is { } type && (type.StartsWith("application/json", StringComparison.OrdinalIgnoreCase)
        || type.Split(';')[0].Trim().EndsWith("+json", StringComparison.OrdinalIgnoreCase));

    /// <summary>A message over one stored record.</summary>
    /// <exception cref="FormatException">The bytes are not one framed record.</exception>
    public static EffluxMessage From(int partition, RecordData record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return From(partition, record.Offset, record.Raw);
    }

    /// <summary>A message over one stored record's bytes.</summary>
    /// <exception cref="FormatException">The bytes are not one framed record.</exception>
    public static EffluxMessage From(int partition, long offset, ReadOnlyMemory<byte> raw)
    {
        var message = First(partition, offset, raw);
        return message._raw.Length == raw.Length
            ? message
            : throw new FormatException($"Record {offset} is {message._raw.Length} bytes followed by {raw.Length - message._raw.Length} more.");
    }

    /// <summary>A message over the record that starts <paramref name="bytes"/> (which may go on with further records).</summary>
    /// <exception cref="FormatException">No framed record starts there.</exception>
    public static EffluxMessage First(int partition, long offset, ReadOnlyMemory<byte> bytes)
    {
        var length = FramedLength(bytes.Span);
        var metadata = BinaryPrimitives.ReadInt32LittleEndian(bytes.Span[10..]);
        if (metadata < 2 || metadata > length - HeaderBytes - TrailerBytes)
        {
            throw new FormatException($"Record {offset} is not framed as format v1 (metadata of {metadata} bytes in a record of {length}).");
        }

        return new EffluxMessage(partition, offset, bytes[..length], metadata);
    }

    /// <summary>The total length of the record that starts <paramref name="bytes"/>, checked against its header, trailer and footer ids.</summary>
    /// <exception cref="FormatException">No framed record starts there.</exception>
    public static int FramedLength(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < HeaderBytes + TrailerBytes || !bytes[..6].SequenceEqual(HeaderId))
        {
            throw new FormatException("No record header here.");
        }

        var length = BinaryPrimitives.ReadInt32LittleEndian(bytes[6..]);
        if (length < HeaderBytes + TrailerBytes || length > bytes.Length
            || BinaryPrimitives.ReadInt32LittleEndian(bytes[(length - 8)..]) != length || !bytes.Slice(length - 4, 4).SequenceEqual(FooterId))
        {
            throw new FormatException($"A record of {length} bytes does not fit or is not closed by its trailer.");
        }

        return length;
    }

    /// <summary>
    /// Checks the record itself (fingerprint over the metadata, payload hash, offset) and, when given, its link to the
    /// previous record's fingerprint. Null when intact, else the reason.
    /// </summary>
    public string? Check(ReadOnlySpan<byte> previousFingerprint)
    {
        if (!SHA256.HashData(MetadataBytes.Span).AsSpan().SequenceEqual(Fingerprint.Span))
        {
            return $"offset {Offset}: the fingerprint does not match the metadata";
        }

        Metadata parsed;
        try
        {
            parsed = Parsed();
        }
        catch (FormatException ex)
        {
            return $"offset {Offset}: {ex.Message}";
        }

        if (parsed.StoredOffset != Offset)
        {
            return $"offset {Offset}: the record says it is offset {parsed.StoredOffset}";
        }

        if (!SHA256.HashData(StoredPayload.Span).AsSpan().SequenceEqual(PayloadHash))
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

    private Metadata Parsed() => _metadata ??= Metadata.Parse(MetadataBytes, Offset);

    /// <summary>What the metadata JSON of a record says.</summary>
    private sealed class Metadata
    {
        public long StoredOffset { get; private init; }

        public string Id { get; private init; } = "";

        public DateTimeOffset Timestamp { get; private init; }

        public DateTimeOffset Created { get; private init; }

        public string? DataType { get; private init; }

        public string? ContentType { get; private init; }

        public string? ContentEncoding { get; private init; }

        public string? MessageGroup { get; private init; }

        public IReadOnlyDictionary<string, string> Properties { get; private init; } = ReadOnlyDictionary<string, string>.Empty;

        public byte[] LinkedFingerprint { get; private init; } = [];

        public byte[] PayloadHash { get; private init; } = [];

        public static Metadata Parse(ReadOnlyMemory<byte> bytes, long offset)
        {
            try
            {
                using var json = JsonDocument.Parse(bytes);
                var root = json.RootElement;
                var created = DateTimeOffset.Parse(root.GetProperty(Field.Created).GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
                return new Metadata
                {
                    Id = root.GetProperty(Field.Id).GetString() ?? "",
                    StoredOffset = root.GetProperty(Field.Offset).GetInt64(),
                    Created = created,
                    Timestamp = Optional(root, Field.Timestamp) is { } timestamp
                        ? DateTimeOffset.Parse(timestamp, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal)
                        : created,
                    PayloadHash = Convert.FromBase64String(root.GetProperty(Field.PayloadHash).GetString()!),
                    LinkedFingerprint = Convert.FromBase64String(root.GetProperty(Field.LinkedFingerprint).GetString()!),
                    DataType = Optional(root, Field.DataType),
                    ContentType = Optional(root, Field.ContentType),
                    ContentEncoding = Optional(root, Field.ContentEncoding),
                    MessageGroup = Optional(root, Field.MessageGroup),
                    Properties = root.TryGetProperty(Field.Properties, out var properties) && properties.ValueKind == JsonValueKind.Object
                        ? properties.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? "", StringComparer.Ordinal)
                        : ReadOnlyDictionary<string, string>.Empty,
                };
            }
            catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
            {
                throw new FormatException($"The metadata of record {offset} is not a record-format metadata object: {ex.Message}", ex);
            }
        }
    }

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

    /// <summary>
    /// Writes the payload as a JSON value named <paramref name="jsonName"/> when it is JSON content, else base64 under
    /// <paramref name="base64Name"/>. A payload whose declared encoding cannot be undone is written as stored, in base64
    /// (the record's <c>contentEncoding</c> says what it is): one such record never fails a read of the records around it.
    /// </summary>
    public void WriteData(Utf8JsonWriter writer, string jsonName, string base64Name)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (TryDecodePayload(out var payload) && IsJson && IsJsonValue(payload))
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

    private static byte[] Gunzip(ReadOnlyMemory<byte> stored)
    {
        using var input = new GZipStream(new MemoryStream(stored.ToArray()), CompressionMode.Decompress);
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
