using System.Net.Mime;
using System.Text;
using System.Text.Json;
using CloudNative.CloudEvents;
using CloudNative.CloudEvents.Extensions;
using CloudNative.CloudEvents.SystemTextJson;

namespace Efflux.Silo.Api;

/// <summary>
/// The CloudEvents 1.0 HTTP binding, decoded and validated by the CloudEvents SDK (CloudNative.CloudEvents): structured
/// and batch bodies through its JSON formatter, binary mode from the <c>ce-*</c> headers into its event model (the SDK
/// has no ASP.NET Core binding here). Mapping: id → Id, type → DataType, time → Timestamp, datacontenttype →
/// ContentType, partitionkey → MessageGroup; source, subject and every other attribute → the property <c>ce-{name}</c>.
/// </summary>
internal static class CloudEvents
{
    public const string Prefix = "ce-";
    public const string SourceProperty = "ce-source";
    public const string Structured = "application/cloudevents+json";
    public const string Batch = "application/cloudevents-batch+json";

    private static readonly JsonEventFormatter Formatter = new();

    // Attributes that map to a message field rather than to a ce-* property.
    private static readonly HashSet<string> Mapped = new(StringComparer.Ordinal) { "specversion", "id", "type", "time", "datacontenttype", "partitionkey" };

    /// <summary>Binary mode: the attributes in <c>ce-*</c> headers, the body is the data.</summary>
    public static ProduceMessage FromBinary(IHeaderDictionary headers, string? contentType, byte[] body)
    {
        var version = headers["ce-specversion"].ToString();
        var cloudEvent = new CloudEvent(CloudEventsSpecVersion.FromVersionId(version) ?? throw UnsupportedVersion(version), Partitioning.AllAttributes);
        Decode(() =>
        {
            foreach (var (name, values) in headers)
            {
                if (name.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase) && !name.Equals("ce-specversion", StringComparison.OrdinalIgnoreCase))
                {
                    cloudEvent.SetAttributeFromString(name[Prefix.Length..].ToLowerInvariant(), values.ToString());
                }
            }

            cloudEvent.DataContentType = contentType;
            return cloudEvent.Validate();
        });
        return ToMessage(cloudEvent, body);
    }

    /// <summary>Structured mode: one event as a JSON object; or, with <paramref name="batch"/>, a JSON array of them.</summary>
    public static List<ProduceMessage> FromStructured(byte[] body, bool batch)
    {
        var contentType = new ContentType(batch ? Batch : Structured);
        var events = Decode(() => batch
            ? Formatter.DecodeBatchModeMessage(body, contentType, Partitioning.AllAttributes)
            : [Formatter.DecodeStructuredModeMessage(body, contentType, Partitioning.AllAttributes)]);
        return [.. events.Select(e => ToMessage(e, Payload(e.Data)))];
    }

    private static ProduceMessage ToMessage(CloudEvent e, byte[] payload)
    {
        var properties = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (attribute, value) in e.GetPopulatedAttributes())
        {
            if (!Mapped.Contains(attribute.Name))
            {
                properties[Prefix + attribute.Name] = attribute.Format(value);
            }
        }

        return new ProduceMessage
        {
            Payload = payload,
            Id = e.Id,
            DataType = e.Type,
            Timestamp = e.Time,
            ContentType = e.DataContentType ?? (e.Data is JsonElement ? "application/json" : null),
            MessageGroup = e[Partitioning.PartitionKeyAttribute] as string,
            Properties = properties,
        };
    }

    /// <summary>The stored payload: JSON data as its JSON text, text data as UTF-8, data_base64 as its bytes.</summary>
    private static byte[] Payload(object? data) => data switch
    {
        null => [],
        byte[] bytes => bytes,
        string text => Encoding.UTF8.GetBytes(text),
        JsonElement json => Encoding.UTF8.GetBytes(json.GetRawText()),
        _ => throw EffluxException.Invalid($"CloudEvent data of type {data.GetType().Name} is not supported."),
    };

    /// <summary>Runs an SDK decode and turns what it rejects (bad JSON, missing or malformed attributes) into a 400.</summary>
    private static T Decode<T>(Func<T> decode)
    {
        try
        {
            return decode();
        }
        catch (Exception ex) when (ex is ArgumentException or JsonException or FormatException or InvalidOperationException)
        {
            throw EffluxException.Invalid("Invalid CloudEvent: " + ex.Message);
        }
    }

    private static EffluxException UnsupportedVersion(string version) => EffluxException.Invalid($"CloudEvents specversion must be 1.0, not '{version}'.");
}
