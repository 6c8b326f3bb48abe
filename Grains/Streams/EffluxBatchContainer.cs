using System.Text.Json;
using Orleans.Streams;

namespace Efflux.Grains.Streams;

/// <summary>
/// A run of consecutive records of one partition as the stream provider delivers them: the framed records as stored,
/// one run of bytes (a slice of the block they were read in, not a copy, inside a silo), read into
/// <see cref="EffluxMessage"/> views (or JSON-deserialized into the subscriber's type) by the subscriber.
/// </summary>
[GenerateSerializer]
[Immutable]
[Alias("efflux.BatchContainer")]
public sealed class EffluxBatchContainer : IBatchContainer
{
    /// <summary>Creates a container over <paramref name="records"/> (framed records back to back).</summary>
    public EffluxBatchContainer(StreamId streamId, int partition, long firstOffset, int count, ReadOnlyMemory<byte> records, EffluxSequenceToken token)
    {
        StreamId = streamId;
        Partition = partition;
        FirstOffset = firstOffset;
        Count = count;
        Records = records;
        Token = token;
    }

    /// <inheritdoc />
    [Id(0)] public StreamId StreamId { get; private set; }

    /// <summary>The partition.</summary>
    [Id(1)] public int Partition { get; private set; }

    /// <summary>The offset of the first record.</summary>
    [Id(2)] public long FirstOffset { get; private set; }

    /// <summary>How many records <see cref="Records"/> holds (0 for a container that only announces a stream's position).</summary>
    [Id(3)] public int Count { get; private set; }

    /// <summary>The framed records, back to back.</summary>
    [Id(4)] public ReadOnlyMemory<byte> Records { get; private set; }

    /// <summary>The container's position: its first record as read from the queue, its last as delivered to a subscriber.</summary>
    [Id(5)] public EffluxSequenceToken Token { get; private set; }

    /// <inheritdoc />
    public StreamSequenceToken SequenceToken => Token;

    /// <summary>The records as messages.</summary>
    public IEnumerable<EffluxMessage> Messages()
    {
        var rest = Records;
        for (var i = 0; i < Count; i++)
        {
            var message = EffluxMessage.First(Partition, FirstOffset + i, rest);
            rest = rest[message.Raw.Length..];
            yield return message;
        }
    }

    /// <summary>
    /// The events with their tokens: <see cref="EffluxMessage"/> (or <see cref="object"/>) gives the records as they are;
    /// any other type is read from the JSON payload of each record whose content type is JSON (other records are left out).
    /// </summary>
    public IEnumerable<Tuple<T, StreamSequenceToken>> GetEvents<T>()
    {
        foreach (var message in Messages())
        {
            var token = new EffluxSequenceToken(Partition, message.Offset);
            if (message is T same)
            {
                yield return Tuple.Create(same, (StreamSequenceToken)token);
            }
            else if (message.IsJson && message.TryDecodePayload(out var payload) && JsonSerializer.Deserialize<T>(payload, StreamJson.Options) is { } value)
            {
                yield return Tuple.Create(value, (StreamSequenceToken)token);
            }
        }
    }

    /// <inheritdoc />
    public bool ImportRequestContext() => false;
}
