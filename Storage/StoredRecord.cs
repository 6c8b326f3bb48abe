using Efflux.Format;

namespace Efflux.Storage;

/// <summary>
/// One record as read from a segment: a view over its raw bytes. The metadata JSON is decoded on first use, so that
/// scans which only need offsets or payloads do not pay for it. Immutable and safe to share between threads.
/// </summary>
public sealed class StoredRecord
{
    private RecordMetadata? _metadata;

    internal StoredRecord(long offset, ReadOnlyMemory<byte> raw)
    {
        Offset = offset;
        Raw = raw;
    }

    /// <summary>The record's offset.</summary>
    public long Offset { get; }

    /// <summary>The whole record exactly as stored, header id through footer id.</summary>
    public ReadOnlyMemory<byte> Raw { get; }

    /// <summary>The stored fingerprint (SHA-256 of the metadata bytes).</summary>
    public ReadOnlyMemory<byte> Fingerprint => Raw.Slice(RecordLayout.FingerprintOffset, RecordLayout.HashSize);

    /// <summary>The metadata bytes as stored.</summary>
    public ReadOnlyMemory<byte> MetadataBytes => Raw.Slice(RecordLayout.HeaderSize, RecordLayout.ReadMetadataLength(Raw.Span));

    /// <summary>The payload as stored (still compressed when ContentEncoding says so).</summary>
    public ReadOnlyMemory<byte> Payload
    {
        get
        {
            var m = RecordLayout.ReadMetadataLength(Raw.Span);
            return Raw.Slice(RecordLayout.HeaderSize + m, Raw.Length - RecordLayout.Overhead - m);
        }
    }

    /// <summary>The decoded metadata.</summary>
    public RecordMetadata Metadata => _metadata ??= MetadataReader.Read(MetadataBytes.Span);

    /// <summary>The payload with its ContentEncoding undone (gzip); other encodings are returned as stored.</summary>
    public byte[] DecodePayload()
    {
        ContentCoding.TryDecode(Metadata.ContentEncoding, Payload.Span, out var payload);
        return payload;
    }
}
