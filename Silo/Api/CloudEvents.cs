using System.Globalization;
using System.Text;
using System.Text.Json;
using Efflux.Grains;

namespace Efflux.Silo.Api;

/// <summary>
/// The CloudEvents 1.0 HTTP binding. id → Id, type → DataType, time → Timestamp, datacontenttype → ContentType,
/// partitionkey → MessageGroup; source, subject and every other attribute → the property <c>ce-{name}</c>.
/// </summary>
internal static class CloudEvents
{
    public const string Prefix = "ce-";
    public const string SourceProperty = "ce-source";
    public const string Structured = "application/cloudevents+json";
    public const string Batch = "application/cloudevents-batch+json";

    /// <summary>Binary mode: the attributes in <c>ce-*</c> headers, the body is the data.</summary>
    public static ProduceMessage FromBinary(IHeaderDictionary headers, string? contentType, byte[] body)
    {
        var properties = new Dictionary<string, string>(StringComparer.Ordinal);
        var message = new ProduceMessage { Payload = body, ContentType = contentType, Properties = properties };
        foreach (var (name, values) in headers)
        {
            if (!name.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            Apply(message, name[Prefix.Length..].ToLowerInvariant(), values.ToString());
        }

        return Validate(message, headers["ce-specversion"].ToString());
    }

    /// <summary>Structured mode: one event as a JSON object.</summary>
    public static ProduceMessage FromStructured(JsonElement e)
    {
        if (e.ValueKind != JsonValueKind.Object)
        {
            throw EffluxException.Invalid("A structured CloudEvent is a JSON object.");
        }

        var message = new ProduceMessage { Properties = new Dictionary<string, string>(StringComparer.Ordinal) };
        string? version = null;
        foreach (var a in e.EnumerateObject())
        {
            switch (a.Name)
            {
                case "specversion": version = Http.JsonString(a.Value, "specversion"); break;
                case "data":
                    message.Payload = a.Value.ValueKind == JsonValueKind.String && !IsJson(message.ContentType ?? Attribute(e, "datacontenttype"))
                        ? Encoding.UTF8.GetBytes(a.Value.GetString()!)
                        : Encoding.UTF8.GetBytes(a.Value.GetRawText());
                    message.ContentType ??= Attribute(e, "datacontenttype") ?? "application/json";
                    break;
                case "data_base64": message.Payload = ProduceMessageJson.Base64(Http.JsonString(a.Value, "data_base64"), "data_base64"); break;
                default:
                    Apply(message, a.Name, a.Value.ValueKind switch
                    {
                        JsonValueKind.String => a.Value.GetString()!,
                        JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => a.Value.GetRawText(),
                        _ => throw EffluxException.Invalid($"CloudEvent attribute '{a.Name}' must be a string, number or boolean."),
                    });
                    break;
            }
        }

        return Validate(message, version);
    }

    private static void Apply(ProduceMessage message, string attribute, string value)
    {
        switch (attribute)
        {
            case "specversion": break;
            case "id": message.Id = value; break;
            case "type": message.DataType = value; break;
            case "datacontenttype": message.ContentType = value; break;
            case "partitionkey": message.MessageGroup = value; break;
            case "time":
                message.Timestamp = DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
                    ? time
                    : throw EffluxException.Invalid($"CloudEvent time '{value}' is not an RFC 3339 time.");
                break;
            default: message.Properties![Prefix + attribute] = value; break;
        }
    }

    private static ProduceMessage Validate(ProduceMessage message, string? version)
    {
        if (version != "1.0")
        {
            throw EffluxException.Invalid($"CloudEvents specversion must be 1.0, not '{version}'.");
        }

        if (string.IsNullOrEmpty(message.Id) || string.IsNullOrEmpty(message.DataType) || !message.Properties!.ContainsKey(SourceProperty))
        {
            throw EffluxException.Invalid("A CloudEvent needs id, source and type.");
        }

        return message;
    }

    private static string? Attribute(JsonElement e, string name)
        => e.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static bool IsJson(string? contentType)
        => contentType is null || contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) || contentType.Contains("+json", StringComparison.OrdinalIgnoreCase);
}
