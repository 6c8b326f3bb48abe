using System.IO.Compression;

namespace Efflux.Format;

/// <summary>
/// The content encodings a payload may declare: <c>gzip</c> (checked to be one whole gzip stream, so that every reader
/// can undo it) and <c>identity</c>. Anything else is refused at append time, never stored.
/// </summary>
public static class ContentCoding
{
    /// <summary>The most a declared-gzip payload may expand to (a guard against decompression bombs).</summary>
    public const long MaxDecodedBytes = 256L << 20;

    /// <exception cref="ArgumentException">The encoding is unknown, or the payload is not what it declares.</exception>
    public static void Check(string? encoding, ReadOnlySpan<byte> payload)
    {
        if (encoding is null || encoding.Equals("identity", StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        if (!encoding.Equals("gzip", StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException($"ContentEncoding '{encoding}' is not supported: a payload may be gzip (compressed by the producer) or identity.", nameof(encoding));
        }

        if (DecodedLength(payload) is not { } length)
        {
            throw new ArgumentException("The payload declares ContentEncoding gzip but is not one whole gzip stream.", nameof(payload));
        }

        if (length > MaxDecodedBytes)
        {
            throw new ArgumentException($"The gzip payload expands to more than {MaxDecodedBytes} bytes.", nameof(payload));
        }
    }

    /// <summary>
    /// The payload with its declared encoding undone: false when the encoding is one this reader cannot undo (unknown,
    /// or gzip that is not a gzip stream), with <paramref name="payload"/> then the bytes as stored.
    /// </summary>
    public static bool TryDecode(string? encoding, ReadOnlySpan<byte> stored, out byte[] payload)
    {
        if (encoding is null || encoding.Equals("identity", StringComparison.OrdinalIgnoreCase))
        {
            payload = stored.ToArray();
            return true;
        }

        if (encoding.Equals("gzip", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                using var input = new GZipStream(new MemoryStream(stored.ToArray()), CompressionMode.Decompress);
                using var output = new MemoryStream();
                input.CopyTo(output);
                payload = output.ToArray();
                return true;
            }
            catch (InvalidDataException)
            {
            }
        }

        payload = stored.ToArray();
        return false;
    }

    /// <summary>How many bytes the gzip stream decodes to (stopping past the limit), or null when it is not one whole gzip stream.</summary>
    private static unsafe long? DecodedLength(ReadOnlySpan<byte> payload)
    {
        if (payload.Length < 18 || payload[0] != 0x1F || payload[1] != 0x8B)
        {
            return null;
        }

        fixed (byte* start = payload)
        {
            using var input = new UnmanagedMemoryStream(start, payload.Length);
            using var gzip = new GZipStream(input, CompressionMode.Decompress);
            var buffer = new byte[81920];
            long total = 0;
            try
            {
                int read;
                while ((read = gzip.Read(buffer)) > 0)
                {
                    total += read;
                    if (total > MaxDecodedBytes)
                    {
                        return total;
                    }
                }
            }
            catch (InvalidDataException)
            {
                return null;
            }

            // A cut-off stream can end without an error: its trailer (the decoded length modulo 2^32) must match.
            var trailerLength = System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(payload[^4..]);
            return trailerLength == unchecked((uint)total) ? total : null;
        }
    }
}
