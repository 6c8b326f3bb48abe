using Efflux.Client;
using System.Globalization;
using System.Text.Json;

namespace Efflux.Silo.Api;

/// <summary>The JSON shapes of responses (see docs/API.md).</summary>
internal static class Json
{
    public static object Topic(TopicInfo info) => new
    {
        @namespace = info.Namespace,
        topic = info.Topic,
        created = info.Created,
        config = new
        {
            partitions = info.Config.Partitions,
            retention = info.Config.RetentionAge is { } age ? Duration(age) : null,
            retentionBytes = info.Config.RetentionBytes,
            maxMessageBytes = info.Config.MaxMessageBytes,
            segmentBytes = info.Config.SegmentBytes,
        },
        partitions = info.Partitions.Select(p => new
        {
            partition = p.Partition,
            startOffset = p.StartOffset,
            nextOffset = p.NextOffset,
            bytes = p.Bytes,
            segments = p.Segments,
            headFingerprint = Convert.ToBase64String(p.HeadFingerprint),
            silo = p.Silo,
            readOnly = p.ReadOnly,
            recordsRead = p.RecordsRead,
        }),
    };

    public static object Verify(VerifyResult r) => new
    {
        partition = r.Partition,
        ok = r.Ok,
        records = r.Records,
        fromOffset = r.FromOffset,
        nextOffset = r.NextOffset,
        firstBadOffset = r.FirstBadOffset,
        reason = r.Reason,
        headFingerprint = Convert.ToBase64String(r.HeadFingerprint),
    };

    /// <summary>A duration in the shortest of the units <see cref="Http.Duration"/> reads.</summary>
    public static string Duration(TimeSpan span)
        => span.TotalDays == Math.Floor(span.TotalDays) ? span.TotalDays.ToString(CultureInfo.InvariantCulture) + "d"
            : span.TotalHours == Math.Floor(span.TotalHours) ? span.TotalHours.ToString(CultureInfo.InvariantCulture) + "h"
            : span.TotalSeconds.ToString(CultureInfo.InvariantCulture) + "s";

    /// <summary>A message as a structured-mode CloudEvent 1.0.</summary>
    public static void WriteCloudEvent(Utf8JsonWriter w, EffluxMessage m)
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
