using System.Runtime.CompilerServices;
using Efflux.Format;
using Efflux.Grains;

namespace Efflux;

/// <summary>
/// A stored message as readers see it: a view over the record's stored bytes (record format v1, docs/FORMAT.md, read
/// by the Efflux.Format assembly that the storage engine writes with). The metadata JSON is parsed on first use (the id,
/// event time, type, encoding and group alone, without decoding the hashes, when only they are asked for); the
/// payload is decompressed when the producer asked for gzip; <see cref="Check"/> re-checks the record and its link, so
/// a reader can verify the chain without trusting the silo.
/// </summary>
public sealed class EffluxMessage
{
    private readonly ReadOnlyMemory<byte> _raw;
    private readonly int _metadataLength;

    // The parsed metadata, once asked for: a reader that only looks at payloads and offsets never allocates it.
    private RecordMetadata? _metadata;

    // The fields most readers ask for (id, event time, type, encoding, group), read without the hashes and properties;
    // boxed so that readers of one message on two threads see a whole value or none.
    private StrongBox<EventFields>? _event;

    private EffluxMessage(int partition, long offset, ReadOnlyMemory<byte> raw, int metadataLength)
    {
        Partition = partition;
        Offset = offset;
        _raw = raw;
        _metadataLength = metadataLength;
    }

    /// <summary>The partition.</summary>
    public int Partition { get; }

    /// <summary>The offset.</summary>
    public long Offset { get; }

    /// <summary>The record's stored bytes, header id through footer id.</summary>
    public ReadOnlyMemory<byte> Raw => _raw;

    /// <summary>SHA-256 of the metadata bytes, as stored in the record.</summary>
    public ReadOnlyMemory<byte> Fingerprint => _raw.Slice(RecordLayout.FingerprintOffset, RecordLayout.HashSize);

    /// <summary>The metadata JSON, byte for byte as stored.</summary>
    public ReadOnlyMemory<byte> MetadataBytes => _raw.Slice(RecordLayout.HeaderSize, _metadataLength);

    /// <summary>The payload as stored (still compressed when <see cref="ContentEncoding"/> is gzip).</summary>
    public ReadOnlyMemory<byte> StoredPayload => _raw[(RecordLayout.HeaderSize + _metadataLength)..^RecordLayout.TrailerSize];

    /// <summary>The id (unique per topic).</summary>
    public string Id => Event().Id;

    /// <summary>Event time.</summary>
    public DateTimeOffset Timestamp => new(Event().Timestamp, TimeSpan.Zero);

    /// <summary>Append time.</summary>
    public DateTimeOffset Created => new(Parsed().Created, TimeSpan.Zero);

    /// <summary>The kind of event.</summary>
    public string? DataType => Event().DataType;

    /// <summary>The payload's MIME type.</summary>
    public string? ContentType => Parsed().ContentType;

    /// <summary>The stored payload's encoding (gzip).</summary>
    public string? ContentEncoding => Event().ContentEncoding;

    /// <summary>The message group.</summary>
    public string? MessageGroup => Event().MessageGroup;

    /// <summary>Properties.</summary>
    public IReadOnlyDictionary<string, string> Properties => Parsed().Properties ?? NoProperties;

    /// <summary>The previous record's fingerprint (the genesis value at offset 0).</summary>
    public byte[] LinkedFingerprint => Parsed().LinkedFingerprint;

    /// <summary>SHA-256 of the stored payload.</summary>
    public byte[] PayloadHash => Parsed().PayloadHash;

    /// <summary>The payload, decompressed when it is stored as gzip.</summary>
    /// <exception cref="InvalidDataException">The record says gzip but its payload is not a gzip stream (see <see cref="TryDecodePayload"/>).</exception>
    public byte[] Payload => TryDecodePayload(out var payload) ? payload : throw new InvalidDataException($"Record {Offset} declares ContentEncoding {ContentEncoding} but its payload cannot be decoded; StoredPayload has the bytes as stored.");

    /// <summary>True when the content type is JSON (<c>application/json</c> or <c>…+json</c>).</summary>
    public bool IsJson => ContentType is { } type && (type.StartsWith("application/json", StringComparison.OrdinalIgnoreCase)
        || type.Split(';')[0].Trim().EndsWith("+json", StringComparison.OrdinalIgnoreCase));

    private static IReadOnlyDictionary<string, string> NoProperties { get; } = new Dictionary<string, string>();

    /// <summary>
    /// The payload with its content encoding undone: false when the record declares an encoding this reader cannot
    /// undo (unknown, or gzip that is not a gzip stream), with <paramref name="payload"/> then the bytes as stored.
    /// </summary>
    public bool TryDecodePayload(out byte[] payload) => ContentCoding.TryDecode(ContentEncoding, StoredPayload.Span, out payload);

    /// <summary>A message over one stored record.</summary>
    /// <exception cref="FormatException">The bytes are not one framed record.</exception>
    public static EffluxMessage From(int partition, RecordData record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return From(partition, record.Offset, record.Raw);
    }

    /// <summary>A message over one stored record's bytes.</summary>
    /// <exception cref="FormatException">The bytes are not one framed record.</exception>
    public static EffluxMessage From(int partition, long offset, ReadOnlyMemory<byte> raw)
    {
        var message = First(partition, offset, raw);
        return message._raw.Length == raw.Length
            ? message
            : throw new FormatException($"Record {offset} is {message._raw.Length} bytes followed by {raw.Length - message._raw.Length} more.");
    }

    /// <summary>A message over the record that starts <paramref name="bytes"/> (which may go on with further records).</summary>
    /// <exception cref="FormatException">No framed record starts there.</exception>
    public static EffluxMessage First(int partition, long offset, ReadOnlyMemory<byte> bytes)
        => new(partition, offset, bytes[..FrameLength(bytes.Span, offset)], RecordLayout.ReadMetadataLength(bytes.Span));

    /// <summary>The length of the framed record (offset <paramref name="offset"/>) that starts <paramref name="bytes"/>.</summary>
    /// <exception cref="FormatException">No framed record starts there.</exception>
    public static int FrameLength(ReadOnlySpan<byte> bytes, long offset)
    {
        var status = RecordCheck.CheckFrame(bytes, out var length);
        return status == RecordStatus.Ok ? length : throw new FormatException($"Record {offset} is not framed as format v1: {RecordCheck.Describe(status)}.");
    }

    /// <summary>
    /// Checks the record (fingerprint over the metadata, metadata, offset, payload hash) and its link to
    /// <paramref name="previousFingerprint"/>: the previous record's fingerprint, or the genesis value at offset 0.
    /// Null when intact, else the reason.
    /// </summary>
    public string? Check(ReadOnlySpan<byte> previousFingerprint)
    {
        Span<byte> fingerprint = stackalloc byte[RecordLayout.HashSize];
        var status = RecordCheck.CheckRecord(_raw.Span, Offset, previousFingerprint, fingerprint, out _);
        return status == RecordStatus.Ok ? null : $"offset {Offset}: {RecordCheck.Describe(status)}";
    }

    /// <summary>The genesis link of a partition's first record.</summary>
    public static byte[] Genesis(string ns, string topic, int partition) => Efflux.Format.Genesis.For(ns, topic, partition);

    /// <summary>
    /// The id, event time, type, encoding and group, read once (from the parsed metadata when it is there already, else
    /// by the event-fields reader, which decodes nothing else).
    /// </summary>
    private EventFields Event()
    {
        if (_event is { } known)
        {
            return known.Value;
        }

        EventFields fields;
        if (_metadata is { } m)
        {
            fields = new EventFields(m.Id, m.Timestamp, m.DataType, m.ContentEncoding, m.MessageGroup);
        }
        else
        {
            try
            {
                fields = MetadataReader.ReadEventFields(MetadataBytes.Span);
            }
            catch (FormatException ex)
            {
                throw Malformed(ex);
            }
        }

        _event = new StrongBox<EventFields>(fields);
        return fields;
    }

    private FormatException Malformed(FormatException ex) => new($"The metadata of record {Offset} is not a record-format metadata object: {ex.Message}", ex);

    private RecordMetadata Parsed()
    {
        try
        {
            return _metadata ??= MetadataReader.Read(MetadataBytes.Span);
        }
        catch (FormatException ex)
        {
            throw Malformed(ex);
        }
    }
}
