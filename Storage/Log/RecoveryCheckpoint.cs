using System.Buffers.Binary;
using Efflux.Format;
using Efflux.Storage.IO;
using Microsoft.Win32.SafeHandles;

namespace Efflux.Storage.Log;

/// <summary>
/// The durable point of a partition, so that opening scans only what came after it. Two 128-byte slots in
/// <c>recovery.ckpt</c> are written alternately, each with its own SHA-256, so a torn write of one leaves the other.
/// Written only after the fsync that covers what it claims; not fsynced itself (an older slot only means a longer scan).
/// Slot layout (little-endian): magic <c>EFXC</c>, version (4), sequence (8), segment base (8), end position (8),
/// next offset (8), last record position (8), last fingerprint (32), SHA-256 of bytes 0..80 (32), padding.
/// </summary>
internal sealed class RecoveryCheckpoint : IDisposable
{
    public const string FileName = "recovery.ckpt";
    private const int SlotSize = 128;
    private const int BodySize = 80;

    private readonly SafeFileHandle _handle;
    private readonly byte[] _slot = new byte[SlotSize];
    private long _sequence;

    private RecoveryCheckpoint(SafeFileHandle handle, long sequence)
    {
        _handle = handle;
        _sequence = sequence;
    }

    /// <summary>A durable point: the record at <paramref name="LastRecordPosition"/> ends at <paramref name="EndPosition"/>.</summary>
    public sealed record State(long SegmentBase, long EndPosition, long NextOffset, long LastRecordPosition, byte[] LastFingerprint);

    private static ReadOnlySpan<byte> Magic => "EFXC"u8;

    /// <summary>Opens the file and returns the newest valid state in it, if any.</summary>
    public static RecoveryCheckpoint Open(string directory, out State? latest)
    {
        var handle = File.OpenHandle(Path.Combine(directory, FileName), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read);
        PrivateFiles.Restrict(handle);
        latest = null;
        long sequence = 0;
        Span<byte> buffer = stackalloc byte[SlotSize * 2];
        var read = RandomAccess.Read(handle, buffer, 0);
        for (var slot = 0; slot < 2; slot++)
        {
            if (read < (slot + 1) * SlotSize)
            {
                break;
            }

            var s = buffer.Slice(slot * SlotSize, SlotSize);
            if (!s[..4].SequenceEqual(Magic) || !Sha256Fast.Hash(s[..BodySize]).AsSpan().SequenceEqual(s.Slice(BodySize, 32)))
            {
                continue;
            }

            var seq = BinaryPrimitives.ReadInt64LittleEndian(s[8..]);
            if (seq > sequence)
            {
                sequence = seq;
                latest = new State(
                    BinaryPrimitives.ReadInt64LittleEndian(s[16..]),
                    BinaryPrimitives.ReadInt64LittleEndian(s[24..]),
                    BinaryPrimitives.ReadInt64LittleEndian(s[32..]),
                    BinaryPrimitives.ReadInt64LittleEndian(s[40..]),
                    s.Slice(48, 32).ToArray());
            }
        }

        return new RecoveryCheckpoint(handle, sequence);
    }

    /// <summary>Records a new durable point in the older slot.</summary>
    public void Write(State state)
    {
        _sequence++;
        var s = _slot.AsSpan();
        s.Clear();
        Magic.CopyTo(s);
        BinaryPrimitives.WriteInt32LittleEndian(s[4..], 1);
        BinaryPrimitives.WriteInt64LittleEndian(s[8..], _sequence);
        BinaryPrimitives.WriteInt64LittleEndian(s[16..], state.SegmentBase);
        BinaryPrimitives.WriteInt64LittleEndian(s[24..], state.EndPosition);
        BinaryPrimitives.WriteInt64LittleEndian(s[32..], state.NextOffset);
        BinaryPrimitives.WriteInt64LittleEndian(s[40..], state.LastRecordPosition);
        state.LastFingerprint.CopyTo(s[48..]);
        Sha256Fast.Hash(s[..BodySize], s.Slice(BodySize, 32));
        RandomAccess.Write(_handle, s, (_sequence % 2) * SlotSize);
    }

    public void Dispose() => _handle.Dispose();
}
