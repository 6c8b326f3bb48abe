using System.Buffers.Text;
using System.Runtime.CompilerServices;
using System.Text;

namespace Efflux.Storage.Format;

/// <summary>
/// Writes a record's metadata JSON straight into the record buffer, with no intermediate objects.
/// Field order is fixed (Id, Offset, Created, Timestamp, PayloadHash, LinkedFingerprint, then the optional
/// fields) so that the same metadata always produces the same bytes.
/// </summary>
internal static class MetadataWriter
{
    private const int DateLength = 28; // yyyy-MM-ddTHH:mm:ss.fffffffZ
    private const int Base64HashLength = 44;

    /// <summary>An upper bound of the bytes <see cref="Write"/> produces for these values.</summary>
    public static int MaxLength(in MetadataFields f)
    {
        var n = 160 + (2 * (DateLength + Base64HashLength)) + MaxStringLength(f.Id);
        n += Optional(f.DataType) + Optional(f.ContentType) + Optional(f.ContentEncoding) + Optional(f.MessageGroup);
        if (f.Properties is { Count: > 0 } props)
        {
            n += 16;
            foreach (var (k, v) in props)
            {
                n += MaxStringLength(k) + MaxStringLength(v) + 4;
            }
        }

        return n;

        static int Optional(string? s) => s is null ? 0 : 24 + MaxStringLength(s);
    }

    /// <summary>Writes the JSON object and returns its length in bytes.</summary>
    public static int Write(Span<byte> dest, in MetadataFields f)
    {
        var w = new Cursor(dest);
        w.Raw("{\"Id\":"u8);
        w.String(f.Id);
        w.Raw(",\"Offset\":"u8);
        w.Int64(f.Offset);
        w.Raw(",\"Created\":"u8);
        w.Date(f.CreatedTicks);
        w.Raw(",\"Timestamp\":"u8);
        w.Date(f.TimestampTicks);
        w.Raw(",\"PayloadHash\":"u8);
        w.Base64(f.PayloadHash);
        w.Raw(",\"LinkedFingerprint\":"u8);
        w.Base64(f.LinkedFingerprint);
        w.OptionalString(",\"DataType\":"u8, f.DataType);
        w.OptionalString(",\"ContentType\":"u8, f.ContentType);
        w.OptionalString(",\"ContentEncoding\":"u8, f.ContentEncoding);
        w.OptionalString(",\"MessageGroup\":"u8, f.MessageGroup);
        if (f.Properties is { Count: > 0 } props)
        {
            w.Raw(",\"Properties\":{"u8);
            var first = true;
            foreach (var (k, v) in props)
            {
                if (!first)
                {
                    w.Raw(","u8);
                }

                first = false;
                w.String(k);
                w.Raw(":"u8);
                w.String(v);
            }

            w.Raw("}"u8);
        }

        w.Raw("}"u8);
        return w.Position;
    }

    private static int MaxStringLength(string s) => 2 + (s.Length * 6);

    private ref struct Cursor(Span<byte> dest)
    {
        private readonly Span<byte> _dest = dest;

        public int Position { get; private set; }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Raw(ReadOnlySpan<byte> bytes)
        {
            bytes.CopyTo(_dest[Position..]);
            Position += bytes.Length;
        }

        public void Int64(long value)
        {
            Utf8Formatter.TryFormat(value, _dest[Position..], out var written);
            Position += written;
        }

        public void Date(long ticks)
        {
            var d = new DateTime(ticks, DateTimeKind.Utc);
            _dest[Position++] = (byte)'"';
            d.TryFormat(_dest[Position..], out var written, "O", System.Globalization.CultureInfo.InvariantCulture);
            Position += written;
            _dest[Position++] = (byte)'"';
        }

        public void Base64(ReadOnlySpan<byte> hash)
        {
            _dest[Position++] = (byte)'"';
            System.Buffers.Text.Base64.EncodeToUtf8(hash, _dest[Position..], out _, out var written);
            Position += written;
            _dest[Position++] = (byte)'"';
        }

        public void OptionalString(ReadOnlySpan<byte> name, string? value)
        {
            if (value is not null)
            {
                Raw(name);
                String(value);
            }
        }

        public void String(string value)
        {
            _dest[Position++] = (byte)'"';
            var span = value.AsSpan();
            var start = 0;
            for (var i = 0; i < span.Length; i++)
            {
                var c = span[i];
                if (c >= 0x20 && c != '"' && c != '\\')
                {
                    continue;
                }

                Utf8(span[start..i]);
                Escape(c);
                start = i + 1;
            }

            Utf8(span[start..]);
            _dest[Position++] = (byte)'"';
        }

        private void Utf8(ReadOnlySpan<char> chars)
        {
            if (!chars.IsEmpty)
            {
                Position += Encoding.UTF8.GetBytes(chars, _dest[Position..]);
            }
        }

        private void Escape(char c)
        {
            _dest[Position++] = (byte)'\\';
            switch (c)
            {
                case '"':
                    _dest[Position++] = (byte)'"';
                    break;
                case '\\':
                    _dest[Position++] = (byte)'\\';
                    break;
                case '\n':
                    _dest[Position++] = (byte)'n';
                    break;
                case '\r':
                    _dest[Position++] = (byte)'r';
                    break;
                case '\t':
                    _dest[Position++] = (byte)'t';
                    break;
                default:
                    _dest[Position++] = (byte)'u';
                    _dest[Position++] = (byte)'0';
                    _dest[Position++] = (byte)'0';
                    _dest[Position++] = Hex(c >> 4);
                    _dest[Position++] = Hex(c & 0xF);
                    break;
            }
        }

        private static byte Hex(int v) => (byte)(v < 10 ? '0' + v : 'a' + v - 10);
    }
}
