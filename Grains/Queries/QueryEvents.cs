using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using Efflux.Processing.Engine;

namespace Efflux.Grains.Queries;

/// <summary>How a live query sees a record: an EffluxQL event, and the key shard it belongs to.</summary>
public static class QueryEvents
{
    /// <summary>
    /// The event of a record of <paramref name="topic"/>: the fields of its JSON object payload and the
    /// pseudo-attributes <c>_offset</c>, <c>_partition</c>, <c>_id</c>, <c>_timestamp</c>, <c>_data_type</c> and
    /// <c>_group</c>; its event time is the record's Timestamp and its stream the topic.
    /// </summary>
    /// <exception cref="FormatException">The payload is not a JSON object, or the metadata is malformed.</exception>
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
        return Event.FromRecord(PayloadOf(message), pseudo, stamp, sequence).Relabel(sequence, topic, counts);
    }

    /// <summary>
    /// The event a key shard takes for a record another shard owns: no attributes, only the record's time, which moves
    /// the shard's windows on (it enters none).
    /// </summary>
    /// <exception cref="FormatException">The metadata is malformed.</exception>
    public static Event TimeOnly(EffluxMessage message, string topic)
    {
        ArgumentNullException.ThrowIfNull(message);
        return new Event([], message.Timestamp.ToUnixTimeMilliseconds(), 0).Relabel(0, topic, counts: false);
    }

    /// <summary>
    /// The key shard (0 to <paramref name="shards"/> − 1) of a record: a hash of the values of <paramref name="keys"/>
    /// (payload fields or pseudo-attributes, in order) as the engine reads them, so values it groups as one (2 and 2.0,
    /// a string with or without escapes, null and a missing field) go to one shard. The payload is read without
    /// parsing the fields that are not keys.
    /// </summary>
    /// <exception cref="FormatException">The payload is not a JSON object, or the metadata is malformed.</exception>
    public static int ShardOf(EffluxMessage message, IReadOnlyList<string> keys, int shards)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentOutOfRangeException.ThrowIfLessThan(shards, 1);
        Span<uint> found = keys.Count <= 8 ? stackalloc uint[keys.Count] : new uint[keys.Count];
        Span<bool> pseudo = keys.Count <= 8 ? stackalloc bool[keys.Count] : new bool[keys.Count];
        var payloadKeys = 0;
        for (var k = 0; k < keys.Count; k++)
        {
            uint? value = keys[k] switch
            {
                "_offset" => KeyHash.Of(message.Offset),
                "_partition" => KeyHash.Of(message.Partition),
                "_id" => KeyHash.Of(message.Id),
                "_timestamp" => KeyHash.Of(message.Timestamp.ToUnixTimeMilliseconds()),
                "_data_type" => KeyHash.Of(message.DataType),
                "_group" => KeyHash.Of(message.MessageGroup),
                _ => null,
            };
            pseudo[k] = value is not null;
            found[k] = value ?? KeyHash.Null;
            payloadKeys += pseudo[k] ? 0 : 1;
        }

        var payload = PayloadOf(message);
        if (payloadKeys > 0 && !payload.IsEmpty)
        {
            ReadKeys(payload, keys, found, pseudo);
        }

        return (int)(KeyHash.Combine(found) % (uint)shards);
    }

    /// <summary>
    /// Hashes the payload's values of the keys that are not pseudo-attributes; a field given twice counts by its last
    /// value, as the engine reads it.
    /// </summary>
    private static void ReadKeys(ReadOnlySpan<byte> payload, IReadOnlyList<string> keys, Span<uint> found, ReadOnlySpan<bool> pseudo)
    {
        try
        {
            var reader = new Utf8JsonReader(payload);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                throw new FormatException("the payload is not a JSON object");
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var k = -1;
                for (var i = 0; i < keys.Count && k < 0; i++)
                {
                    k = !pseudo[i] && reader.ValueTextEquals(keys[i]) ? i : -1;
                }

                reader.Read();
                if (k < 0)
                {
                    reader.Skip();
                    continue;
                }

                found[k] = KeyHash.Of(ref reader, payload);
            }
        }
        catch (JsonException ex)
        {
            throw new FormatException("the payload is not a JSON object: " + ex.Message, ex);
        }
    }

    private static ReadOnlySpan<byte> PayloadOf(EffluxMessage message)
        => message.ContentEncoding is null ? message.StoredPayload.Span : message.Payload;

    /// <summary>
    /// FNV-1a (32-bit) hashes of key values in a canonical form: a kind tag, then the value (an integral number as the
    /// integer it equals, any other number as its double, a string as its unescaped UTF-8, an object or array as its
    /// JSON text); a key is the hashes of its values in order, 0x1f between them.
    /// </summary>
    private static class KeyHash
    {
        public const uint Start = 2166136261u;

        public static uint Null { get; } = Byte(Start, (byte)'N');

        public static uint Of(long whole) => Number((byte)'I', whole);

        public static uint Of(string? text)
        {
            if (text is null)
            {
                return Null;
            }

            var length = Encoding.UTF8.GetByteCount(text);
            var utf8 = length <= 256 ? stackalloc byte[length] : new byte[length];
            Encoding.UTF8.GetBytes(text, utf8);
            return Utf8(utf8);
        }

        /// <summary>The value the reader stands on, as the engine reads it into an attribute.</summary>
        public static uint Of(ref Utf8JsonReader reader, ReadOnlySpan<byte> payload)
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.String when !reader.ValueIsEscaped && !reader.HasValueSequence:
                    return Utf8(reader.ValueSpan);
                case JsonTokenType.String:
                    return Of(reader.GetString());
                case JsonTokenType.Number when reader.TryGetInt64(out var whole):
                    return Of(whole);
                case JsonTokenType.Number:
                    var real = reader.GetDouble();
                    return !double.IsFinite(real) ? Null
                        : real == Math.Floor(real) && Math.Abs(real) < 9e18 ? Of((long)real)
                        : Number((byte)'R', BitConverter.DoubleToInt64Bits(real));
                case JsonTokenType.True or JsonTokenType.False:
                    return Number((byte)'B', reader.TokenType == JsonTokenType.True ? 1 : 0);
                case JsonTokenType.Null:
                    return Null;
                default:
                    var start = (int)reader.TokenStartIndex;
                    reader.Skip();
                    return Utf8(payload[start..(int)reader.BytesConsumed]);
            }
        }

        /// <summary>
        /// The key of values hashed in order, mixed (MurmurHash3's finalizer) so that its low bits, which pick the
        /// shard, depend on every bit: FNV-1a's lowest bit is only the parity of the bytes' lowest bits.
        /// </summary>
        public static uint Combine(ReadOnlySpan<uint> values)
        {
            var hash = Start;
            Span<byte> bytes = stackalloc byte[4];
            for (var k = 0; k < values.Length; k++)
            {
                hash = k == 0 ? hash : Byte(hash, 0x1f);
                BinaryPrimitives.WriteUInt32LittleEndian(bytes, values[k]);
                hash = Bytes(hash, bytes);
            }

            hash ^= hash >> 16;
            hash = unchecked(hash * 0x85ebca6bu);
            hash ^= hash >> 13;
            hash = unchecked(hash * 0xc2b2ae35u);
            return hash ^ (hash >> 16);
        }

        private static uint Utf8(ReadOnlySpan<byte> text) => Bytes(Byte(Start, (byte)'S'), text);

        private static uint Number(byte tag, long bits)
        {
            Span<byte> bytes = stackalloc byte[8];
            BinaryPrimitives.WriteInt64LittleEndian(bytes, bits);
            return Bytes(Byte(Start, tag), bytes);
        }

        private static uint Byte(uint hash, byte b) => unchecked((hash ^ b) * 16777619u);

        private static uint Bytes(uint hash, ReadOnlySpan<byte> bytes)
        {
            foreach (var b in bytes)
            {
                hash = Byte(hash, b);
            }

            return hash;
        }
    }
}
