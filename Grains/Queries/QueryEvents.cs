using Efflux.Processing.Runtime;

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
}
