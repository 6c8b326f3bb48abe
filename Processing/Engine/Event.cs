using System.Globalization;
using System.Text.Json;

namespace Efflux.Processing.Engine;

/// <summary>
/// One input event: its attributes in input order, its event time (epoch milliseconds) and its arrival sequence.
/// Immutable once read.
/// </summary>
public sealed class Event
{
    private readonly Value[] _values;

    // The schema of the last record read on this thread: a stream's records mostly share one, so the next record reuses
    // its name strings and, when every name matches, the schema itself, without allocating or looking either up.
    [ThreadStatic]
    private static EventSchema? t_lastRecordSchema;

    /// <summary>Creates an event.</summary>
    public Event(IReadOnlyList<KeyValuePair<string, Value>> attributes, long time, long sequence)
        : this(attributes, time, sequence, null)
    {
    }

    private Event(IReadOnlyList<KeyValuePair<string, Value>> attributes, long time, long sequence, EventSchema? likely)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        Attributes = attributes;
        Schema = likely is not null && likely.Matches(attributes) ? likely : EventSchema.For(attributes);
        _values = new Value[attributes.Count];
        for (var i = 0; i < _values.Length; i++)
        {
            _values[i] = attributes[i].Value;
        }

        Time = time;
        Sequence = sequence;
    }

    private Event(Event source, long sequence, string? stream, bool counts)
    {
        Attributes = source.Attributes;
        Schema = source.Schema;
        _values = source._values;
        Time = source.Time;
        Sequence = sequence;
        Stream = stream;
        Counts = counts;
    }

    /// <summary>The same event (attributes, schema and time shared, nothing copied) with another sequence, stream or <see cref="Counts"/>.</summary>
    public Event Relabel(long sequence, string? stream, bool counts) => new(this, sequence, stream, counts);

    /// <summary>The names of the attributes, shared with every event of the same shape.</summary>
    public EventSchema Schema { get; }

    /// <summary>The attributes in input order (for <c>SELECT *</c>).</summary>
    public IReadOnlyList<KeyValuePair<string, Value>> Attributes { get; }

    /// <summary>Event time, epoch milliseconds.</summary>
    public long Time { get; }

    /// <summary>Position in the input, from 0.</summary>
    public long Sequence { get; }

    /// <summary>
    /// The stream (topic) the event was read from on a live query, or null offline. A join side or pattern step named
    /// after a stream takes the stream's events, as it takes events whose <c>_data_type</c> is that name.
    /// </summary>
    public string? Stream { get; init; }

    /// <summary>
    /// False for an event that only moves event time forward: windows close and emit as its time says, but it enters no
    /// window of an aggregation (a live query's key shard passes the other shards' events this way).
    /// </summary>
    public bool Counts { get; init; } = true;

    /// <summary>The attribute, or NULL when missing.</summary>
    public Value Get(string name) => Schema.IndexOf(name) is var i && i >= 0 ? _values[i] : Value.Null;

    /// <summary>The attribute at a position of <see cref="Schema"/>.</summary>
    public Value ValueAt(int index) => _values[index];

    /// <summary>
    /// Reads one JSON-lines event. Its <c>_timestamp</c> (epoch milliseconds, or an ISO-8601 string) is its event time.
    /// Nested objects and arrays are kept as their JSON text.
    /// </summary>
    public static Event FromJson(ReadOnlySpan<byte> utf8, long sequence)
    {
        var attributes = ReadObject(utf8);
        var timestamp = attributes.FirstOrDefault(a => a.Key == "_timestamp").Value;
        return new Event(attributes, TimeOf(timestamp) ?? throw new FormatException("the event has no valid _timestamp (epoch milliseconds or ISO-8601)"), sequence);
    }

    /// <summary>
    /// Reads the attributes of a record's JSON object payload (an empty payload has none) and adds
    /// <paramref name="pseudo"/> after them, replacing payload fields of the same names.
    /// </summary>
    /// <exception cref="FormatException">The payload is not a JSON object.</exception>
    public static Event FromRecord(ReadOnlySpan<byte> utf8, IReadOnlyList<KeyValuePair<string, Value>> pseudo, long time, long sequence)
    {
        ArgumentNullException.ThrowIfNull(pseudo);
        var likely = t_lastRecordSchema;
        var attributes = utf8.IsEmpty ? new List<KeyValuePair<string, Value>>(pseudo.Count) : ReadObject(utf8, likely, pseudo.Count);
        if (attributes.Exists(a => a.Key.StartsWith('_')))
        {
            attributes.RemoveAll(a => pseudo.Any(p => p.Key == a.Key));
        }

        attributes.AddRange(pseudo);
        var e = new Event(attributes, time, sequence, likely);
        t_lastRecordSchema = e.Schema;
        return e;
    }

    /// <summary>
    /// The attributes of a JSON object, with room for <paramref name="more"/>; a name that <paramref name="likely"/> has
    /// at the same position is taken from it instead of being allocated again.
    /// </summary>
    private static List<KeyValuePair<string, Value>> ReadObject(ReadOnlySpan<byte> utf8, EventSchema? likely = null, int more = 0)
    {
        var attributes = new List<KeyValuePair<string, Value>>((likely?.Names.Count ?? 4) + more);
        try
        {
            var reader = new Utf8JsonReader(utf8);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                throw new FormatException("an event is a JSON object");
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var at = attributes.Count;
                var name = likely is not null && at < likely.Names.Count && reader.ValueTextEquals(likely.Names[at]) ? likely.Names[at] : reader.GetString()!;
                reader.Read();
                attributes.Add(new(name, ReadValue(ref reader)));
            }
        }
        catch (JsonException ex)
        {
            throw new FormatException("not valid JSON: " + ex.Message, ex);
        }

        return attributes;
    }

    /// <summary>Epoch milliseconds from a number or an ISO-8601 string; null when neither.</summary>
    public static long? TimeOf(Value value) => value.Kind switch
    {
        ValueKind.Whole => value.AsLong,
        ValueKind.Real => (long)value.AsDouble,
        ValueKind.Text when DateTimeOffset.TryParse(value.AsText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) => t.ToUnixTimeMilliseconds(),
        _ => null,
    };

    private static Value ReadValue(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                return Value.From(reader.GetString());
            case JsonTokenType.Number:
                return reader.TryGetInt64(out var l) ? Value.From(l) : Value.From(reader.GetDouble());
            case JsonTokenType.True:
                return Value.From(true);
            case JsonTokenType.False:
                return Value.From(false);
            case JsonTokenType.Null:
                return Value.Null;
            default:
                using (var doc = JsonDocument.ParseValue(ref reader))
                {
                    return Value.From(doc.RootElement.GetRawText());
                }
        }
    }
}
