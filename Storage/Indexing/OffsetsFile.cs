using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Efflux.Storage.Indexing;

/// <summary>
/// The <c>.offsets</c> side file of a sealed segment: the byte position of every record, so that opening a large
/// partition and reading from a sealed segment need no scan. Layout (little-endian): magic <c>EFXOFS01</c>,
/// base offset (8), record count (4), log length (8), positions (4 each), then the SHA-256 envelope.
/// </summary>
internal static class OffsetsFile
{
    private const int HeaderSize = 28;

    private static ReadOnlySpan<byte> Magic => "EFXOFS01"u8;

    public static void Write(string path, long baseOffset, long logLength, ReadOnlySpan<int> positions)
    {
        var body = new byte[HeaderSize + (positions.Length * 4)];
        Magic.CopyTo(body);
        BinaryPrimitives.WriteInt64LittleEndian(body.AsSpan(8), baseOffset);
        BinaryPrimitives.WriteInt32LittleEndian(body.AsSpan(16), positions.Length);
        BinaryPrimitives.WriteInt64LittleEndian(body.AsSpan(20), logLength);
        MemoryMarshal.AsBytes(positions).CopyTo(body.AsSpan(HeaderSize));
        ChecksummedFile.Write(path, body);
    }

    /// <summary>The positions, or null when the file is missing or does not describe this exact log.</summary>
    public static int[]? TryLoad(string path, long baseOffset, long expectedCount, long logLength)
    {
        var body = ChecksummedFile.TryRead(path);
        if (body is null || body.Length < HeaderSize || !body.AsSpan(0, 8).SequenceEqual(Magic))
        {
            return null;
        }

        var count = BinaryPrimitives.ReadInt32LittleEndian(body.AsSpan(16));
        if (BinaryPrimitives.ReadInt64LittleEndian(body.AsSpan(8)) != baseOffset
            || BinaryPrimitives.ReadInt64LittleEndian(body.AsSpan(20)) != logLength
            || (expectedCount >= 0 && count != expectedCount)
            || body.Length != HeaderSize + (count * 4L))
        {
            return null;
        }

        return MemoryMarshal.Cast<byte, int>(body.AsSpan(HeaderSize)).ToArray();
    }
}
