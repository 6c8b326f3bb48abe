namespace Efflux.Storage;

/// <summary>Consecutive stored records as their bytes back to back (see docs/FORMAT.md): record i has offset <see cref="FirstOffset"/> + i.</summary>
/// <param name="Data">The records' stored bytes.</param>
/// <param name="FirstOffset">The offset of the first record (the requested offset when there are none).</param>
/// <param name="Count">How many records <paramref name="Data"/> holds.</param>
public readonly record struct RawRecords(byte[] Data, long FirstOffset, int Count)
{
    /// <summary>The offset after the last record.</summary>
    public long NextOffset => FirstOffset + Count;
}
