namespace Efflux.Grains;

/// <summary>
/// A run of consecutive records of one partition, shipped as their stored bytes back to back (no per-record
/// encoding) in pieces of whole records of about 64 KiB: record i has offset <see cref="FirstOffset"/> + i. Immutable
/// once returned (a call inside a silo hands the same pieces over, uncopied): nothing may change it after that.
/// </summary>
/// <remarks>Serialized by <see cref="RecordBatchCodec"/>, which receives the pieces without zeroing them first.</remarks>
[Immutable]
[Alias("efflux.RecordBatch")]
public sealed class RecordBatch
{
    /// <summary>The partition.</summary>
    public int Partition { get; set; }

    /// <summary>
    /// The stored records, back to back, in pieces that each hold whole records. They travel and arrive as these
    /// pieces, each an array of its own below the large-object threshold, so a reader's megabytes per second stay young
    /// garbage.
    /// </summary>
    public byte[][] Pieces { get; set; } = [];

    /// <summary>The offset to read from next.</summary>
    public long NextOffset { get; set; }

    /// <summary>The partition's end (its next append offset) when the batch was read.</summary>
    public long EndOffset { get; set; }

    /// <summary>The partition's oldest stored offset.</summary>
    public long StartOffset { get; set; }

    /// <summary>How many records <see cref="Pieces"/> holds.</summary>
    public int Count { get; set; }

    /// <summary>The offset of the first record.</summary>
    public long FirstOffset { get; set; }

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
