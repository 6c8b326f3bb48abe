using System.IO.Compression;
using Efflux.Format;

namespace Efflux.Storage.Log;

/// <summary>
/// One call to append: its messages prepared on the caller's thread (compression, payload hashes, a run of id numbers), so
/// that the writer's serial work is only the metadata, the fingerprint chain and the copy.
/// </summary>
internal sealed class AppendRequest
{
    public AppendRequest(IReadOnlyList<AppendMessage> messages, Durability durability, long? expectedOffset, int maxPayloadBytes)
    {
        Messages = messages;
        Durability = durability;
        ExpectedOffset = expectedOffset;
        Payloads = new ReadOnlyMemory<byte>[messages.Count];
        FirstGeneratedId = GeneratedIds.Reserve(messages.Count);
        Hashes = new byte[messages.Count * RecordLayout.HashSize];
        Results = new AppendResult[messages.Count];
        for (var i = 0; i < messages.Count; i++)
        {
            var m = messages[i];
            Validate(m, maxPayloadBytes);
            var payload = m.Compress ? Gzip(m.Payload.Span) : m.Payload;
            Payloads[i] = payload;
            Sha256Fast.Hash(payload.Span, Hashes.AsSpan(i * RecordLayout.HashSize, RecordLayout.HashSize));
            EstimatedBytes += payload.Length + 320;
        }
    }

    public IReadOnlyList<AppendMessage> Messages { get; }

    public ReadOnlyMemory<byte>[] Payloads { get; }

    /// <summary>The generated id of message i, when it has none of its own, is number <c>FirstGeneratedId + i</c>.</summary>
    public ulong FirstGeneratedId { get; }

    /// <summary>
    /// 32 bytes per message: its payload's SHA-256 until the writer has encoded it, then its record's fingerprint, which
    /// its result hands out as a slice (one array per call rather than one per record: fewer objects for the collector
    /// while the call waits for its fsync).
    /// </summary>
    public byte[] Hashes { get; }

    public Durability Durability { get; }

    public long? ExpectedOffset { get; }

    public long EstimatedBytes { get; }

    public AppendResult[] Results { get; }

    public TaskCompletionSource<AppendResult[]> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private static void Validate(AppendMessage m, int maxPayloadBytes)
    {
        if (m.Payload.Length > maxPayloadBytes)
        {
            throw new ArgumentException($"Payload of {m.Payload.Length} bytes exceeds the limit of {maxPayloadBytes} bytes.", nameof(m));
        }

        if (m.Id is { Length: 0 })
        {
            throw new ArgumentException("An Id, when given, must not be empty.", nameof(m));
        }

        if (m.Compress && m.ContentEncoding is not null)
        {
            throw new ArgumentException("Set either Compress or ContentEncoding, not both.", nameof(m));
        }

        ContentCoding.Check(m.ContentEncoding, m.Payload.Span);
        CheckText(m.Id, "Id");
        CheckText(m.DataType, "DataType");
        CheckText(m.ContentType, "ContentType");
        CheckText(m.ContentEncoding, "ContentEncoding");
        CheckText(m.MessageGroup, "MessageGroup");
        if (m.Properties is { } props)
        {
            foreach (var (k, v) in props)
            {
                CheckText(k, "a property name");
                CheckText(v, $"property '{k}'");
            }
        }
    }

    private static void CheckText(string? value, string what)
    {
        if (value is null)
        {
            return;
        }

        if (value.Length > 64 * 1024)
        {
            throw new ArgumentException($"{what} is longer than 65536 characters.");
        }

        // Lone surrogates cannot be stored as UTF-8 and would come back changed.
        if (!IsWellFormed(value))
        {
            throw new ArgumentException($"{what} is not well-formed UTF-16 text.");
        }
    }

    private static bool IsWellFormed(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsHighSurrogate(c))
            {
                if (i + 1 >= value.Length || !char.IsLowSurrogate(value[i + 1]))
                {
                    return false;
                }

                i++;
            }
            else if (char.IsLowSurrogate(c))
            {
                return false;
            }
        }

        return true;
    }

    private static byte[] Gzip(ReadOnlySpan<byte> payload)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(payload);
        }

        return output.ToArray();
    }
}
