using System.Text.Json;

namespace Efflux.Client;

/// <summary>
/// A message as JSON, in the one shape the REST API and the <c>efflux</c> CLI both print: <c>partition, offset, id,
/// timestamp, created, dataType, contentType, contentEncoding, messageGroup, properties, fingerprint, linkedFingerprint,
/// payloadHash</c> and <c>data</c> (JSON content) or <c>dataBase64</c>.
/// </summary>
public static class MessageJson
{
    /// <summary>Writes <paramref name="message"/> as one JSON object.</summary>
    public static void Write(Utf8JsonWriter writer, EffluxMessage message)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        WriteFields(writer, message);
        WriteData(writer, message, "data", "dataBase64");
        writer.WriteEndObject();
    }

    /// <summary>Writes the message's fields, partition through payloadHash, into the object <paramref name="writer"/> is in.</summary>
    public static void WriteFields(Utf8JsonWriter writer, EffluxMessage message)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(message);
        writer.WriteNumber("partition", message.Partition);
        writer.WriteNumber("offset", message.Offset);
        writer.WriteString("id", message.Id);
        writer.WriteString("timestamp", message.Timestamp);
        writer.WriteString("created", message.Created);
        WriteOptional(writer, "dataType", message.DataType);
        WriteOptional(writer, "contentType", message.ContentType);
        WriteOptional(writer, "contentEncoding", message.ContentEncoding);
        WriteOptional(writer, "messageGroup", message.MessageGroup);
        if (message.Properties.Count > 0)
        {
            writer.WriteStartObject("properties");
            foreach (var (k, v) in message.Properties)
            {
                writer.WriteString(k, v);
            }

            writer.WriteEndObject();
        }

        writer.WriteBase64String("fingerprint", message.Fingerprint.Span);
        writer.WriteBase64String("linkedFingerprint", message.LinkedFingerprint);
        writer.WriteBase64String("payloadHash", message.PayloadHash);
    }

    /// <summary>
    /// Writes the payload as a JSON value named <paramref name="jsonName"/> when it is JSON content, else base64 under
    /// <paramref name="base64Name"/>. A payload whose declared encoding cannot be undone is written as stored, in base64
    /// (the record's <c>contentEncoding</c> says what it is): one such record never fails a read of the records around it.
    /// </summary>
    public static void WriteData(Utf8JsonWriter writer, EffluxMessage message, string jsonName, string base64Name)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(message);
        if (message.TryDecodePayload(out var payload) && message.IsJson && IsJsonValue(payload))
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
}
