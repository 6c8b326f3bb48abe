using System.Buffers.Binary;

namespace Efflux.Format;

/// <summary>
/// The byte layout of a record, format v1. All integers little-endian.
/// <code>
/// offset  size      field
/// 0       6         header id 05 01 14 29 83 0A
/// 6       4         L  total record length, header id through footer id
/// 10      4         M  metadata length
/// 14      32        fingerprint = SHA-256(metadata bytes as stored)
/// 46      M         metadata, UTF-8 JSON object
/// 46+M    L-54-M    payload as stored
/// L-8     4         L again
/// L-4     4         footer id 06 11 52 5B
/// </code>
/// </summary>
public static class RecordLayout
{
    /// <summary>Bytes before the metadata: header id, L, M and the fingerprint.</summary>
    public const int HeaderSize = 46;

    /// <summary>Bytes after the payload: L again and the footer id.</summary>
    public const int TrailerSize = 8;

    /// <summary>Fixed bytes of every record.</summary>
    public const int Overhead = HeaderSize + TrailerSize;

    /// <summary>Offset of the L field.</summary>
    public const int LengthOffset = 6;

    /// <summary>Offset of the M field.</summary>
    public const int MetadataLengthOffset = 10;

    /// <summary>Offset of the fingerprint.</summary>
    public const int FingerprintOffset = 14;

    /// <summary>Size of a SHA-256 digest.</summary>
    public const int HashSize = 32;

    /// <summary>The largest record the engine writes or accepts (1 GiB).</summary>
    public const int MaxRecordLength = 1 << 30;

    /// <summary>The header id, the first six bytes of every record.</summary>
    public static ReadOnlySpan<byte> HeaderId => [0x05, 0x01, 0x14, 0x29, 0x83, 0x0A];

    /// <summary>The footer id, the last four bytes of every record.</summary>
    public static ReadOnlySpan<byte> FooterId => [0x06, 0x11, 0x52, 0x5B];

    /// <summary>Writes the header fields (without the fingerprint) and the trailer of a record of <paramref name="length"/> bytes.</summary>
    public static void WriteFrame(Span<byte> record, int length, int metadataLength)
    {
        HeaderId.CopyTo(record);
        BinaryPrimitives.WriteInt32LittleEndian(record[LengthOffset..], length);
        BinaryPrimitives.WriteInt32LittleEndian(record[MetadataLengthOffset..], metadataLength);
        BinaryPrimitives.WriteInt32LittleEndian(record[(length - TrailerSize)..], length);
        FooterId.CopyTo(record[(length - 4)..]);
    }

    /// <summary>Reads L from a header; the caller guarantees at least 14 bytes.</summary>
    public static int ReadLength(ReadOnlySpan<byte> header) => BinaryPrimitives.ReadInt32LittleEndian(header[LengthOffset..]);

    /// <summary>Reads M from a header; the caller guarantees at least 14 bytes.</summary>
    public static int ReadMetadataLength(ReadOnlySpan<byte> header) => BinaryPrimitives.ReadInt32LittleEndian(header[MetadataLengthOffset..]);
}
