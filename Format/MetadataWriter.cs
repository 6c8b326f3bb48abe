using System.Buffers.Text;
using System.Runtime.CompilerServices;
using System.Text;

namespace Efflux.Format;

/// <summary>
/// Writes a record's metadata JSON straight into the record buffer, with no intermediate objects.
/// Field order is fixed (Id, Offset, Created, Timestamp unless it equals Created, PayloadHash, LinkedFingerprint,
/// then the optional fields) so that the same metadata always produces the same bytes.
/// </summary>
public static class MetadataWriter
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
        if (f.TimestampTicks != f.CreatedTicks)
        {
            // Absent means "equal to Created" (format v1), which saves a sixth of a small record.
            w.Raw(",\"Timestamp\":"u8);
            w.Date(f.TimestampTicks);
        }

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

    private static int MaxStringLength(ReadOnlySpan<char> s) => 2 + (s.Length * 6);

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
            // The round-trip "O" form of a UTC time, yyyy-MM-ddTHH:mm:ss.fffffffZ, written digit by digit: the
            // general formatter costs several times more and this runs twice per record on the append path.
            var d = new DateTime(ticks, DateTimeKind.Utc);
            var s = _dest.Slice(Position, DateLength + 2);
            s[0] = (byte)'"';
            Digits(s.Slice(1, 4), d.Year);
            s[5] = (byte)'-';
            Digits(s.Slice(6, 2), d.Month);
            s[8] = (byte)'-';
            Digits(s.Slice(9, 2), d.Day);
            s[11] = (byte)'T';
            Digits(s.Slice(12, 2), d.Hour);
            s[14] = (byte)':';
            Digits(s.Slice(15, 2), d.Minute);
            s[17] = (byte)':';
            Digits(s.Slice(18, 2), d.Second);
            s[20] = (byte)'.';
            Digits(s.Slice(21, 7), (int)(ticks % TimeSpan.TicksPerSecond));
            s[28] = (byte)'Z';
            s[29] = (byte)'"';
            Position += DateLength + 2;
        }

        private static void Digits(Span<byte> dest, int value)
        {
            for (var i = dest.Length - 1; i >= 0; i--)
            {
                dest[i] = (byte)('0' + (value % 10));
                value /= 10;
            }
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

        public void String(ReadOnlySpan<char> span)
        {
            _dest[Position++] = (byte)'"';

            // Most strings are printable ASCII with nothing to escape: one vectorised check, then a straight copy.
            if (span.IndexOfAnyExceptInRange((char)0x20, (char)0x7E) < 0 && span.IndexOfAny('"', '\\') < 0)
            {
                Position += System.Text.Encoding.ASCII.GetBytes(span, _dest[Position..]);
                _dest[Position++] = (byte)'"';
                return;
            }

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
