using Efflux.Client;
using System.Text.Json;

namespace Efflux.Silo.Api;

/// <summary>A message as a structured-mode CloudEvent (the <c>format=cloudevent</c> answer of the read routes).</summary>
internal static class CloudEventJson
{
    /// <summary>A message as a structured-mode CloudEvent 1.0.</summary>
    public static void Write(Utf8JsonWriter w, EffluxMessage m)
    {
        w.WriteStartObject();
        w.WriteString("specversion", "1.0");
        w.WriteString("id", m.Id);
        w.WriteString("source", m.Properties.GetValueOrDefault(CloudEvents.SourceProperty) ?? "/efflux");
        w.WriteString("type", m.DataType ?? "efflux.message");
        w.WriteString("time", m.Timestamp);
        Optional(w, "datacontenttype", m.ContentType);
        Optional(w, "partitionkey", m.MessageGroup);
        foreach (var (k, v) in m.Properties)
        {
            if (k.StartsWith(CloudEvents.Prefix, StringComparison.Ordinal) && k != CloudEvents.SourceProperty)
            {
                w.WriteString(k[CloudEvents.Prefix.Length..], v);
            }
        }

        w.WriteNumber("effluxpartition", m.Partition);
        w.WriteNumber("effluxoffset", m.Offset);
        MessageJson.WriteData(w, m, "data", "data_base64");
        w.WriteEndObject();
    }

    private static void Optional(Utf8JsonWriter w, string name, string? value)
    {
        if (value is not null)
        {
            w.WriteString(name, value);
        }
    }
}
