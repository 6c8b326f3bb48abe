namespace Efflux.Storage;

/// <summary>
/// Consecutive stored records as their bytes back to back (see docs/FORMAT.md), in pieces that each hold whole records:
/// record i has offset <see cref="FirstOffset"/> + i.
/// </summary>
/// <param name="Pieces">The records' stored bytes, in order; no record spans two pieces.</param>
/// <param name="FirstOffset">The offset of the first record (the requested offset when there are none).</param>
/// <param name="Count">How many records the pieces hold.</param>
public readonly record struct RawRecords(IReadOnlyList<ReadOnlyMemory<byte>> Pieces, long FirstOffset, int Count)
{
    /// <summary>The offset after the last record.</summary>
    public long NextOffset => FirstOffset + Count;
}
