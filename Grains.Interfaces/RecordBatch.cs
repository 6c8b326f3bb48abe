namespace Efflux.Grains;

/// <summary>
/// A run of consecutive records of one partition, shipped as their stored bytes back to back (no per-record
/// encoding) in pieces of whole records of about 64 KiB: record i has offset <see cref="FirstOffset"/> + i. Immutable
/// once returned (a call inside a silo hands the same pieces over, uncopied): nothing may change it after that.
/// </summary>
[GenerateSerializer]
[Immutable]
[Alias("efflux.RecordBatch")]
public sealed class RecordBatch
{
    /// <summary>The partition.</summary>
    [Id(0)] public int Partition { get; set; }

    /// <summary>
    /// The stored records, back to back, in pieces that each hold whole records. They travel and arrive as these
    /// pieces, each an array of its own below the large-object threshold, so a reader's megabytes per second stay young
    /// garbage. (Arrays of bytes, not memory slices: Orleans encodes a byte array as one block, but a
    /// <c>ReadOnlyMemory&lt;byte&gt;</c> in an array element by element.)
    /// </summary>
    [Id(1)] public byte[][] Pieces { get; set; } = [];

    /// <summary>The offset to read from next.</summary>
    [Id(2)] public long NextOffset { get; set; }

    /// <summary>The partition's end (its next append offset) when the batch was read.</summary>
    [Id(3)] public long EndOffset { get; set; }

    /// <summary>The partition's oldest stored offset.</summary>
    [Id(4)] public long StartOffset { get; set; }

    /// <summary>How many records <see cref="Pieces"/> holds.</summary>
    [Id(5)] public int Count { get; set; }

    /// <summary>The offset of the first record.</summary>
    [Id(6)] public long FirstOffset { get; set; }

    /// <summary>The records as messages (views over <see cref="Pieces"/>, nothing copied).</summary>
    /// <exception cref="FormatException">The data is not a run of framed records.</exception>
    public IEnumerable<EffluxMessage> Messages()
    {
        var next = 0;
        var piece = ReadOnlyMemory<byte>.Empty;
        for (var i = 0; i < Count; i++)
        {
            while (piece.IsEmpty)
            {
                piece = next < Pieces.Length ? Pieces[next++] : throw new FormatException($"Batch of {Count} records ends after {i}.");
            }

            var message = EffluxMessage.First(Partition, FirstOffset + i, piece);
            piece = piece[message.Raw.Length..];
            yield return message;
        }
    }
}
