using System.Buffers.Text;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Efflux.Format;

/// <summary>
/// Reads a record's metadata JSON. Unknown fields are skipped, as the format requires.
/// Throws <see cref="FormatException"/> for malformed metadata; callers turn that into a corruption report.
/// </summary>
public static class MetadataReader
{
    /// <summary>Decodes the full metadata object.</summary>
    public static RecordMetadata Read(ReadOnlySpan<byte> json) => Scan(json, eventOnly: false).ToMetadata();

    /// <summary>
    /// Decodes only what an event needs (<see cref="EventFields"/>): the hashes, offset, content type and properties
    /// are passed over unread, so nothing is decoded or allocated for them. The object must still be well-formed JSON
    /// with an Id and a Created time.
    /// </summary>
    public static EventFields ReadEventFields(ReadOnlySpan<byte> json)
        => TryReadCanonicalEvent(json, out var fields) ? fields : Scan(json, eventOnly: true).ToEventFields();

    private static Fields Scan(ReadOnlySpan<byte> json, bool eventOnly)
    {
        var fields = new Fields();
        try
        {
            var reader = new Utf8JsonReader(json);
            Expect(reader.Read() && reader.TokenType == JsonTokenType.StartObject);
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var field = Field(ref reader);
                Expect(reader.Read());
                if (eventOnly && field is KnownField.Offset or KnownField.PayloadHash or KnownField.LinkedFingerprint or KnownField.ContentType or KnownField.Properties)
                {
                    reader.Skip();
                }
                else
                {
                    fields.Read(field, ref reader);
                }
            }

            Expect(reader.TokenType == JsonTokenType.EndObject);
        }
        catch (JsonException ex)
        {
            throw new FormatException("Metadata is not a valid JSON object: " + ex.Message, ex);
        }
        catch (InvalidOperationException ex)
        {
            throw new FormatException("Metadata has a field of the wrong type: " + ex.Message, ex);
        }

        return fields;
    }

    /// <summary>The fields read so far; unknown ones are skipped.</summary>
    private sealed class Fields
    {
        private string? _id;
        private long? _offset;
        private DateTime? _created;
        private DateTime? _timestamp;
        private byte[]? _payloadHash;
        private byte[]? _linked;
        private string? _dataType;
        private string? _contentType;
        private string? _contentEncoding;
        private string? _messageGroup;
        private Dictionary<string, string>? _properties;

        /// <summary>Reads the value of <paramref name="field"/>, the reader standing on it.</summary>
        public void Read(KnownField field, ref Utf8JsonReader reader)
        {
            switch (field)
            {
                case KnownField.Id: _id = StringValue(ref reader); break;
                case KnownField.Offset: _offset = reader.GetInt64(); break;
                case KnownField.Created: _created = DateValue(ref reader); break;
                case KnownField.Timestamp: _timestamp = DateValue(ref reader); break;
                case KnownField.PayloadHash: _payloadHash = HashValue(ref reader); break;
                case KnownField.LinkedFingerprint: _linked = HashValue(ref reader); break;
                case KnownField.DataType: _dataType = OptionalString(ref reader); break;
                case KnownField.ContentType: _contentType = OptionalString(ref reader); break;
                case KnownField.ContentEncoding: _contentEncoding = OptionalString(ref reader); break;
                case KnownField.MessageGroup: _messageGroup = OptionalString(ref reader); break;
                case KnownField.Properties: _properties = PropertiesValue(ref reader); break;
                default: reader.Skip(); break;
            }
        }

        /// <summary>The event's fields, once its required ones were there.</summary>
        public EventFields ToEventFields()
        {
            if (_id is null || _created is null)
            {
                throw new FormatException("Metadata lacks a required field (Id, Created).");
            }

            return new EventFields(_id, _timestamp ?? _created.Value, _dataType, _contentEncoding, _messageGroup);
        }

        /// <summary>The metadata, once every required field was there.</summary>
        public RecordMetadata ToMetadata()
        {
            if (_id is null || _offset is null || _created is null || _payloadHash is null || _linked is null)
            {
                throw new FormatException("Metadata lacks a required field (Id, Offset, Created, PayloadHash, LinkedFingerprint).");
            }

            return new RecordMetadata
            {
                Id = _id,
                Offset = _offset.Value,
                Created = _created.Value,
                Timestamp = _timestamp ?? _created.Value,
                PayloadHash = _payloadHash,
                LinkedFingerprint = _linked,
                DataType = _dataType,
                ContentType = _contentType,
                ContentEncoding = _contentEncoding,
                MessageGroup = _messageGroup,
                Properties = _properties,
            };
        }
    }

    /// <summary>
    /// Reads only the fields the chain check needs, without allocating: Offset, PayloadHash and LinkedFingerprint.
    /// Returns false when one is missing or malformed.
    /// </summary>
    public static bool TryReadChainFields(ReadOnlySpan<byte> json, out long offset, Span<byte> payloadHash, Span<byte> linkedFingerprint)
    {
        return TryReadCanonical(json, out offset, payloadHash, linkedFingerprint) || TryReadAny(json, out offset, payloadHash, linkedFingerprint);
    }

    /// <summary>
    /// The fast path for metadata exactly as Efflux writes it when no optional field is set:
    /// <c>{"Id":"…","Offset":N,"Created":"…"[,"Timestamp":"…"],"PayloadHash":"…","LinkedFingerprint":"…"}</c> with a
    /// printable-ASCII id. Matching the whole object byte by byte validates it as completely as a JSON parser would;
    /// anything else (optional fields, escapes, other writers' field orders) goes to the general reader.
    /// </summary>
    private static bool TryReadCanonical(ReadOnlySpan<byte> json, out long offset, Span<byte> payloadHash, Span<byte> linkedFingerprint)
    {
        var rest = json;
        return ReadCanonicalHead(ref rest, times: false, out _, out offset, out _, out _)
            && ReadHash(ref rest, ",\"PayloadHash\":\""u8, payloadHash)
            && ReadHash(ref rest, ",\"LinkedFingerprint\":\""u8, linkedFingerprint)
            && rest.SequenceEqual("}"u8);
    }

    /// <summary>
    /// The fast path of <see cref="ReadEventFields"/> for metadata exactly as Efflux writes it without properties:
    /// the canonical head and hashes, then the optional DataType, ContentType, ContentEncoding and MessageGroup as
    /// printable ASCII without escapes. Anything else goes to the general reader.
    /// </summary>
    private static bool TryReadCanonicalEvent(ReadOnlySpan<byte> json, out EventFields fields)
    {
        fields = default;
        var rest = json;
        if (!ReadCanonicalHead(ref rest, times: true, out var id, out _, out _, out var timestamp)
            || !TakePlain(ref rest, ",\"PayloadHash\":\""u8, 44, out _)
            || !TakePlain(ref rest, ",\"LinkedFingerprint\":\""u8, 44, out _)
            || !TakeOptional(ref rest, ",\"DataType\":\""u8, keep: true, out var dataType)
            || !TakeOptional(ref rest, ",\"ContentType\":\""u8, keep: false, out _)
            || !TakeOptional(ref rest, ",\"ContentEncoding\":\""u8, keep: true, out var contentEncoding)
            || !TakeOptional(ref rest, ",\"MessageGroup\":\""u8, keep: true, out var messageGroup)
            || !rest.SequenceEqual("}"u8))
        {
            return false;
        }

        fields = new EventFields(Encoding.ASCII.GetString(id), timestamp, dataType, contentEncoding, messageGroup);
        return true;
    }

    /// <summary>
    /// <c>{"Id":"…","Offset":N,"Created":"…"[,"Timestamp":"…"]</c> as the writer puts it (a printable-ASCII id, times
    /// in the 28-character UTC form, parsed only when <paramref name="times"/>), leaving <paramref name="rest"/> after it.
    /// </summary>
    private static bool ReadCanonicalHead(ref ReadOnlySpan<byte> rest, bool times, out ReadOnlySpan<byte> id, out long offset, out DateTime created, out DateTime timestamp)
    {
        id = default;
        offset = -1;
        created = timestamp = default;
        if (!rest.StartsWith("{\"Id\":\""u8))
        {
            return false;
        }

        rest = rest[7..];
        var idEnd = rest.IndexOf((byte)'"');
        if (idEnd < 1 || !IsPlain(rest[..idEnd]))
        {
            return false;
        }

        id = rest[..idEnd];
        rest = rest[(idEnd + 1)..];
        if (!rest.StartsWith(",\"Offset\":"u8)
            || !Utf8Parser.TryParse(rest[10..], out offset, out var digits)
            || digits == 0 || (rest[10] == (byte)'0' && digits > 1) || rest[10] == (byte)'-')
        {
            return false;
        }

        rest = rest[(10 + digits)..];
        if (!TakeDate(ref rest, ",\"Created\":\""u8, times, out created))
        {
            return false;
        }

        timestamp = created;
        return !rest.StartsWith(",\"Timestamp\":\""u8) || TakeDate(ref rest, ",\"Timestamp\":\""u8, times, out timestamp);
    }

    private static bool TakeDate(ref ReadOnlySpan<byte> rest, ReadOnlySpan<byte> prefix, bool parse, out DateTime utc)
    {
        utc = default;
        return TakePlain(ref rest, prefix, 28, out var text)
            && (!parse || (Utf8Parser.TryParse(text, out utc, out var used, 'O') && used == text.Length && utc.Kind == DateTimeKind.Utc));
    }

    /// <summary>
    /// An optional field with a plain string value, made a string when <paramref name="keep"/>; false only when the
    /// field is there but not plain.
    /// </summary>
    private static bool TakeOptional(ref ReadOnlySpan<byte> rest, ReadOnlySpan<byte> prefix, bool keep, out string? value)
    {
        value = null;
        if (!rest.StartsWith(prefix))
        {
            return true;
        }

        var end = rest[prefix.Length..].IndexOf((byte)'"');
        if (end < 0 || !TakePlain(ref rest, prefix, end, out var text))
        {
            return false;
        }

        value = keep ? Encoding.ASCII.GetString(text) : null;
        return true;
    }

    /// <summary>A field whose value is a string of <paramref name="length"/> printable ASCII bytes without quotes or escapes.</summary>
    private static bool TakePlain(ref ReadOnlySpan<byte> rest, ReadOnlySpan<byte> prefix, int length, out ReadOnlySpan<byte> value)
    {
        value = default;
        if (rest.Length < prefix.Length + length + 1 || !rest.StartsWith(prefix) || rest[prefix.Length + length] != (byte)'"')
        {
            return false;
        }

        value = rest.Slice(prefix.Length, length);
        if (!IsPlain(value))
        {
            return false;
        }

        rest = rest[(prefix.Length + length + 1)..];
        return true;
    }

    private static bool IsPlain(ReadOnlySpan<byte> text)
        => text.IndexOfAnyExceptInRange((byte)0x20, (byte)0x7E) < 0 && text.IndexOfAny((byte)'"', (byte)'\\') < 0;

    private static bool ReadHash(ref ReadOnlySpan<byte> rest, ReadOnlySpan<byte> prefix, Span<byte> hash)
    {
        const int Length = 44;
        if (rest.Length < prefix.Length + Length + 1 || !rest.StartsWith(prefix) || rest[prefix.Length + Length] != (byte)'"')
        {
            return false;
        }

        if (Base64.DecodeFromUtf8(rest.Slice(prefix.Length, Length), hash, out _, out var written) != System.Buffers.OperationStatus.Done || written != RecordLayout.HashSize)
        {
            return false;
        }

        rest = rest[(prefix.Length + Length + 1)..];
        return true;
    }

    private static bool TryReadAny(ReadOnlySpan<byte> json, out long offset, Span<byte> payloadHash, Span<byte> linkedFingerprint)
    {
        offset = -1;
        var found = 0;
        try
        {
            var reader = new Utf8JsonReader(json);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var field = Field(ref reader);
                if (!reader.Read())
                {
                    return false;
                }

                switch (field)
                {
                    case KnownField.Offset when reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out offset):
                        found |= 1;
                        break;
                    case KnownField.PayloadHash when DecodeHash(ref reader, payloadHash):
                        found |= 2;
                        break;
                    case KnownField.LinkedFingerprint when DecodeHash(ref reader, linkedFingerprint):
                        found |= 4;
                        break;
                    case KnownField.Offset or KnownField.PayloadHash or KnownField.LinkedFingerprint:
                        return false;
                    default:
                        reader.Skip();
                        break;
                }
            }

            return found == 7 && reader.TokenType == JsonTokenType.EndObject && !reader.Read();
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static KnownField Field(ref Utf8JsonReader r)
    {
        // Names are short ASCII; comparing the raw span avoids allocating a string per field.
        var name = r.HasValueSequence || r.ValueIsEscaped ? System.Text.Encoding.UTF8.GetBytes(r.GetString()!) : r.ValueSpan;
        return name switch
        {
            _ when name.SequenceEqual("Id"u8) => KnownField.Id,
            _ when name.SequenceEqual("Offset"u8) => KnownField.Offset,
            _ when name.SequenceEqual("Created"u8) => KnownField.Created,
            _ when name.SequenceEqual("Timestamp"u8) => KnownField.Timestamp,
            _ when name.SequenceEqual("PayloadHash"u8) => KnownField.PayloadHash,
            _ when name.SequenceEqual("LinkedFingerprint"u8) => KnownField.LinkedFingerprint,
            _ when name.SequenceEqual("DataType"u8) => KnownField.DataType,
            _ when name.SequenceEqual("ContentType"u8) => KnownField.ContentType,
            _ when name.SequenceEqual("ContentEncoding"u8) => KnownField.ContentEncoding,
            _ when name.SequenceEqual("MessageGroup"u8) => KnownField.MessageGroup,
            _ when name.SequenceEqual("Properties"u8) => KnownField.Properties,
            _ => KnownField.Unknown,
        };
    }

    private static bool DecodeHash(ref Utf8JsonReader r, Span<byte> dest)
    {
        if (r.TokenType != JsonTokenType.String || r.ValueIsEscaped || r.HasValueSequence || r.ValueSpan.Length != 44)
        {
            return false;
        }

        return Base64.DecodeFromUtf8(r.ValueSpan, dest, out _, out var written) == System.Buffers.OperationStatus.Done && written == RecordLayout.HashSize;
    }

    private static byte[] HashValue(ref Utf8JsonReader r)
    {
        var hash = new byte[RecordLayout.HashSize];
        Expect(DecodeHash(ref r, hash));
        return hash;
    }

    private static string StringValue(ref Utf8JsonReader r)
    {
        Expect(r.TokenType == JsonTokenType.String);
        return r.GetString()!;
    }

    private static string? OptionalString(ref Utf8JsonReader r) => r.TokenType == JsonTokenType.Null ? null : StringValue(ref r);

    private static DateTime DateValue(ref Utf8JsonReader r)
    {
        // The writer's form (a UTC time ending in Z) parsed from the bytes; any other ISO-8601 text the general way.
        if (r.TokenType == JsonTokenType.String && !r.ValueIsEscaped && r.ValueSpan is [.., (byte)'Z'] && r.TryGetDateTime(out var utc) && utc.Kind == DateTimeKind.Utc)
        {
            return utc;
        }

        var text = StringValue(ref r);
        if (!DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var value))
        {
            throw new FormatException($"'{text}' is not an ISO-8601 time.");
        }

        return value;
    }

    private static Dictionary<string, string>? PropertiesValue(ref Utf8JsonReader r)
    {
        if (r.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        Expect(r.TokenType == JsonTokenType.StartObject);
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
        {
            var key = r.GetString()!;
            Expect(r.Read());
            result[key] = StringValue(ref r);
        }

        Expect(r.TokenType == JsonTokenType.EndObject);
        return result;
    }

    private static void Expect(bool condition)
    {
        if (!condition)
        {
            throw new FormatException("Metadata does not have the v1 shape.");
        }
    }

    private enum KnownField
    {
        Unknown,
        Id,
        Offset,
        Created,
        Timestamp,
        PayloadHash,
        LinkedFingerprint,
        DataType,
        ContentType,
        ContentEncoding,
        MessageGroup,
        Properties,
    }
}
