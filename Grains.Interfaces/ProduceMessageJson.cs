using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Efflux;

/// <summary>
/// The JSON form of a message to produce, shared by the REST API and the CLI:
/// <c>{"id","timestamp","dataType","contentType","contentEncoding","messageGroup","properties", "data" | "dataBase64"}</c>.
/// </summary>
public static class ProduceMessageJson
{
    /// <summary>Reads <c>messages[index]</c> of a produce request; a 400 <see cref="EffluxException"/> names what is wrong.</summary>
    public static ProduceMessage Parse(JsonElement m, int index)
    {
        if (m.ValueKind != JsonValueKind.Object)
        {
            throw EffluxException.Invalid($"messages[{index}] is not an object.");
        }

        var message = new ProduceMessage();
        var hasData = false;
        foreach (var field in m.EnumerateObject())
        {
            switch (field.Name)
            {
                case "id": message.Id = Text(field, index); break;
                case "timestamp": message.Timestamp = Time(Text(field, index), index); break;
                case "dataType": message.DataType = Text(field, index); break;
                case "contentType": message.ContentType = Text(field, index); break;
                case "contentEncoding": message.ContentEncoding = Text(field, index); break;
                case "messageGroup": message.MessageGroup = Text(field, index); break;
                case "properties":
                    message.Properties = field.Value.ValueKind == JsonValueKind.Object
                        ? field.Value.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : throw EffluxException.Invalid($"messages[{index}].properties.{p.Name} must be a string."), StringComparer.Ordinal)
                        : throw EffluxException.Invalid($"messages[{index}].properties must be an object of strings.");
                    break;
                case "data":
                    message.Payload = Encoding.UTF8.GetBytes(field.Value.GetRawText());
                    message.ContentType ??= "application/json";
                    hasData = true;
                    break;
                case "dataBase64":
                    message.Payload = Base64(Text(field, index), $"messages[{index}].dataBase64");
                    hasData = true;
                    break;
                default:
                    throw EffluxException.Invalid($"messages[{index}] has an unknown field '{field.Name}'.");
            }
        }

        return hasData ? message : throw EffluxException.Invalid($"messages[{index}] needs data or dataBase64.");
    }

    private static string? Text(JsonProperty field, int index)
        => field.Value.ValueKind switch
        {
            JsonValueKind.String => field.Value.GetString(),
            JsonValueKind.Null => null,
            _ => throw EffluxException.Invalid(string.Create(CultureInfo.InvariantCulture, $"messages[{index}].{field.Name} must be a string.")),
        };

    /// <summary>Decodes base64, or a 400 naming the field.</summary>
    public static byte[] Base64(string? text, string name)
    {
        try
        {
            return Convert.FromBase64String(text ?? "");
        }
        catch (FormatException)
        {
            throw EffluxException.Invalid($"{name} is not base64.");
        }
    }

    private static DateTimeOffset? Time(string? text, int index)
        => text is null ? null
            : DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time) ? time
            : throw EffluxException.Invalid($"messages[{index}].timestamp must be an ISO-8601 time, not '{text}'.");
}
