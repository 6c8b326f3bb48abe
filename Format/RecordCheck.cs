using System.Buffers.Binary;

namespace Efflux.Format;

/// <summary>
/// Checks one record in place: framing, fingerprint, metadata, offset, payload hash and chain link.
/// Allocation-free; the hot loop of recovery and verification.
/// </summary>
public static class RecordCheck
{
    /// <summary>Checks the framing only (header id, L, M, trailer); <paramref name="length"/> is L when readable.</summary>
    public static RecordStatus CheckFrame(ReadOnlySpan<byte> data, out int length)
    {
        length = 0;
        if (data.Length < RecordLayout.MetadataLengthOffset + 4)
        {
            var n = Math.Min(data.Length, 6);
            return data[..n].SequenceEqual(RecordLayout.HeaderId[..n]) ? RecordStatus.Incomplete : RecordStatus.BadHeaderId;
        }

        if (!data[..6].SequenceEqual(RecordLayout.HeaderId))
        {
            return RecordStatus.BadHeaderId;
        }

        length = RecordLayout.ReadLength(data);
        var m = RecordLayout.ReadMetadataLength(data);
        if (length < RecordLayout.Overhead + 2 || length > RecordLayout.MaxRecordLength || m < 2 || m > length - RecordLayout.Overhead)
        {
            return RecordStatus.BadLength;
        }

        if (data.Length < length)
        {
            return RecordStatus.Incomplete;
        }

        if (BinaryPrimitives.ReadInt32LittleEndian(data[(length - 8)..]) != length || !data.Slice(length - 4, 4).SequenceEqual(RecordLayout.FooterId))
        {
            return RecordStatus.BadTrailer;
        }

        return RecordStatus.Ok;
    }

    /// <summary>
    /// Fully checks the record at the start of <paramref name="data"/>. On success <paramref name="fingerprint"/>
    /// holds its fingerprint and <paramref name="length"/> its L.
    /// </summary>
    public static RecordStatus CheckRecord(ReadOnlySpan<byte> data, long expectedOffset, ReadOnlySpan<byte> expectedLink, Span<byte> fingerprint, out int length)
    {
        var frame = CheckFrame(data, out length);
        if (frame != RecordStatus.Ok)
        {
            return frame;
        }

        var m = RecordLayout.ReadMetadataLength(data);
        var metadata = data.Slice(RecordLayout.HeaderSize, m);
        Sha256Fast.Hash(metadata, fingerprint);
        if (!fingerprint.SequenceEqual(data.Slice(RecordLayout.FingerprintOffset, RecordLayout.HashSize)))
        {
            return RecordStatus.FingerprintMismatch;
        }

        Span<byte> payloadHash = stackalloc byte[RecordLayout.HashSize];
        Span<byte> linked = stackalloc byte[RecordLayout.HashSize];
        if (!MetadataReader.TryReadChainFields(metadata, out var offset, payloadHash, linked))
        {
            return RecordStatus.MalformedMetadata;
        }

        if (offset != expectedOffset)
        {
            return RecordStatus.OffsetMismatch;
        }

        Span<byte> actualPayloadHash = stackalloc byte[RecordLayout.HashSize];
        Sha256Fast.Hash(data.Slice(RecordLayout.HeaderSize + m, length - RecordLayout.Overhead - m), actualPayloadHash);
        if (!actualPayloadHash.SequenceEqual(payloadHash))
        {
            return RecordStatus.PayloadHashMismatch;
        }

        return linked.SequenceEqual(expectedLink) ? RecordStatus.Ok : RecordStatus.ChainBroken;
    }

    /// <summary>
    /// Decides whether bytes that failed a check at the start of <paramref name="tail"/> (the rest of the last file)
    /// are a torn write rather than damage: an incomplete or zero-filled record that no complete record follows.
    /// </summary>
    public static bool IsTornTail(ReadOnlySpan<byte> tail)
    {
        var written = tail.LastIndexOfAnyExcept((byte)0) + 1;
        return IsTornTail(tail[..Math.Min(written, 14)], written, EndsWithCompleteRecord(tail[..written]));
    }

    /// <summary>
    /// The same decision from the parts it needs: the first bytes of the tail (up to 14), how many bytes remain once
    /// trailing zeros are dropped, and whether those bytes end with a complete framed record (one whose trailer and
    /// header id line up). A tail that ends with a complete record is damage, not a tear: even a complete record whose
    /// own L field was flipped still ends in a trailer that fits it.
    /// </summary>
    public static bool IsTornTail(ReadOnlySpan<byte> head, long writtenLength, bool endsWithCompleteRecord)
    {
        if (writtenLength == 0)
        {
            return true;
        }

        if (endsWithCompleteRecord)
        {
            return false;
        }

        if (writtenLength < RecordLayout.MetadataLengthOffset + 4)
        {
            var n = (int)Math.Min(writtenLength, 6);
            return head[..n].SequenceEqual(RecordLayout.HeaderId[..n]);
        }

        if (!head[..6].SequenceEqual(RecordLayout.HeaderId))
        {
            return false;
        }

        var length = RecordLayout.ReadLength(head);
        return length >= RecordLayout.Overhead + 2 && length <= RecordLayout.MaxRecordLength && length > writtenLength;
    }

    /// <summary>True when <paramref name="bytes"/> ends with a trailer whose L points back at a header id inside them.</summary>
    public static bool EndsWithCompleteRecord(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < RecordLayout.Overhead || !bytes[^4..].SequenceEqual(RecordLayout.FooterId))
        {
            return false;
        }

        var l = BinaryPrimitives.ReadInt32LittleEndian(bytes[^8..]);
        return l >= RecordLayout.Overhead && l <= bytes.Length && bytes.Slice(bytes.Length - l, 6).SequenceEqual(RecordLayout.HeaderId);
    }

    /// <summary>A readable explanation of a status, for reports and exceptions.</summary>
    public static string Describe(RecordStatus status) => status switch
    {
        RecordStatus.Ok => "ok",
        RecordStatus.Incomplete => "record is incomplete",
        RecordStatus.BadHeaderId => "header id mismatch",
        RecordStatus.BadLength => "record or metadata length out of range",
        RecordStatus.BadTrailer => "trailer length or footer id mismatch",
        RecordStatus.FingerprintMismatch => "fingerprint mismatch: metadata bytes do not hash to the stored fingerprint",
        RecordStatus.MalformedMetadata => "metadata is not a valid v1 JSON object",
        RecordStatus.OffsetMismatch => "offset mismatch: metadata Offset is not the next offset",
        RecordStatus.PayloadHashMismatch => "payload hash mismatch",
        RecordStatus.ChainBroken => "chain broken: LinkedFingerprint is not the previous record's fingerprint",
        _ => status.ToString(),
    };
}
