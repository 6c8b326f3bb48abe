using System.Globalization;
using System.Text.Json;
using Efflux.Processing.Engine;

namespace Efflux.Grains.Queries;

/// <summary>How a live query sees a record: an EffluxQL event.</summary>
public static class QueryEvents
{
    /// <summary>
    /// The event of a record of <paramref name="topic"/>: the fields of its JSON object payload and the
    /// pseudo-attributes <c>_offset</c>, <c>_partition</c>, <c>_id</c>, <c>_timestamp</c>, <c>_data_type</c> and
    /// <c>_group</c>; its event time is the record's Timestamp and its stream the topic.
    /// </summary>
    /// <exception cref="FormatException">The payload is not a JSON object.</exception>
    public static Event From(EffluxMessage message, string topic, long sequence, bool counts = true)
    {
        ArgumentNullException.ThrowIfNull(message);
        var stamp = message.Timestamp.ToUnixTimeMilliseconds();
        KeyValuePair<string, Value>[] pseudo =
        [
            new("_offset", Value.From(message.Offset)),
            new("_partition", Value.From((long)message.Partition)),
            new("_id", Value.From(message.Id)),
            new("_timestamp", Value.From(stamp)),
            new("_data_type", Value.From(message.DataType)),
            new("_group", Value.From(message.MessageGroup)),
        ];
        var payload = message.ContentEncoding is null ? message.StoredPayload.Span : message.Payload;
        return Event.FromRecord(payload, pseudo, stamp, sequence).Relabel(sequence, topic, counts);
    }

    /// <summary>
    /// The event a key shard takes for a record another shard owns: no attributes, only the record's time, which moves
    /// the shard's windows on (it enters none).
    /// </summary>
    public static Event TimeOnly(EffluxMessage message, string topic)
    {
        ArgumentNullException.ThrowIfNull(message);
        return new Event([], message.Timestamp.ToUnixTimeMilliseconds(), 0).Relabel(0, topic, counts: false);
    }

    /// <summary>
    /// The text of a record's key: the values of <paramref name="keys"/> (payload fields, or pseudo-attributes) in
    /// order, read from the payload without parsing the rest of it (an empty payload has none of the fields); null when
    /// the payload is not a JSON object.
    /// </summary>
    public static string? KeyOf(EffluxMessage message, IReadOnlyList<string> keys)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(keys);
        var found = new string?[keys.Count];
        for (var k = 0; k < keys.Count; k++)
        {
            found[k] = keys[k] switch
            {
                "_offset" => message.Offset.ToString(CultureInfo.InvariantCulture),
                "_partition" => message.Partition.ToString(CultureInfo.InvariantCulture),
                "_id" => message.Id,
                "_timestamp" => message.Timestamp.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
                "_data_type" => message.DataType ?? "",
                "_group" => message.MessageGroup ?? "",
                _ => null,
            };
        }

        var payload = message.ContentEncoding is null ? message.StoredPayload.Span : message.Payload;
        try
        {
            var reader = new Utf8JsonReader(payload);
            if (payload.IsEmpty)
            {
                return string.Join('\u001f', found.Select(f => f ?? ""));
            }

            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var k = -1;
                for (var i = 0; i < keys.Count && k < 0; i++)
                {
                    k = found[i] is null && reader.ValueTextEquals(keys[i]) ? i : -1;
                }

                reader.Read();
                var start = (int)reader.TokenStartIndex;
                reader.Skip();
                if (k >= 0)
                {
                    found[k] = System.Text.Encoding.UTF8.GetString(payload[start..(int)reader.BytesConsumed]);
                }
            }
        }
        catch (JsonException)
        {
            return null;
        }

        return string.Join('\u001f', found.Select(f => f ?? ""));
    }
}

