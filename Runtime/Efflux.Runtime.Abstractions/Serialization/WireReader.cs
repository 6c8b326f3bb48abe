using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Efflux.Runtime.Serialization;

/// <summary>
/// Reads what <see cref="WireWriter"/> wrote, from a span. Every read checks bounds: damaged or truncated input raises
/// <see cref="WireFormatException"/>, never an out-of-range read.
/// </summary>
public ref struct WireReader
{
    private readonly ReadOnlySpan<byte> _span;
    private int _position;

    /// <summary>Reads from <paramref name="span"/>.</summary>
    public WireReader(ReadOnlySpan<byte> span)
    {
        _span = span;
        _position = 0;
    }

    /// <summary>The read position.</summary>
    public readonly int Position => _position;

    /// <summary>True when every byte has been read.</summary>
    public readonly bool End => _position == _span.Length;

    /// <summary>One byte.</summary>
    public byte ReadByte() => Take(1)[0];

    /// <summary>A boolean.</summary>
    public bool ReadBool() => ReadByte() switch
    {
        0 => false,
        1 => true,
        var b => throw Invalid($"a boolean byte is 0 or 1, not {b}"),
    };

    /// <summary>An unsigned varint.</summary>
    public ulong ReadVarUInt64()
    {
        ulong result = 0;
        for (var shift = 0; shift < 70; shift += 7)
        {
            var b = ReadByte();
            if (shift == 63 && b > 1)
            {
                throw Invalid("varint overflows 64 bits");
            }

            result |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return result;
            }
        }

        throw Invalid("varint longer than 10 bytes");
    }

    /// <summary>A signed (zig-zag) varint.</summary>
    public long ReadVarInt64()
    {
        var raw = ReadVarUInt64();
        return (long)(raw >> 1) ^ -(long)(raw & 1);
    }

    /// <summary>An sbyte.</summary>
    public sbyte ReadSByte() => checked((sbyte)Ranged(ReadVarInt64(), sbyte.MinValue, sbyte.MaxValue));

    /// <summary>A short.</summary>
    public short ReadInt16() => checked((short)Ranged(ReadVarInt64(), short.MinValue, short.MaxValue));

    /// <summary>A ushort.</summary>
    public ushort ReadUInt16() => checked((ushort)Ranged(ReadVarUInt64(), ushort.MaxValue));

    /// <summary>An int.</summary>
    public int ReadInt32() => checked((int)Ranged(ReadVarInt64(), int.MinValue, int.MaxValue));

    /// <summary>A uint.</summary>
    public uint ReadUInt32() => checked((uint)Ranged(ReadVarUInt64(), uint.MaxValue));

    /// <summary>A long.</summary>
    public long ReadInt64() => ReadVarInt64();

    /// <summary>A ulong.</summary>
    public ulong ReadUInt64() => ReadVarUInt64();

    /// <summary>A char.</summary>
    public char ReadChar() => (char)Ranged(ReadVarUInt64(), char.MaxValue);

    /// <summary>A float.</summary>
    public float ReadSingle() => BinaryPrimitives.ReadSingleLittleEndian(Take(4));

    /// <summary>A double.</summary>
    public double ReadDouble() => BinaryPrimitives.ReadDoubleLittleEndian(Take(8));

    /// <summary>A decimal.</summary>
    public decimal ReadDecimal()
    {
        var span = Take(16);
        Span<int> parts = stackalloc int[4];
        for (var i = 0; i < 4; i++)
        {
            parts[i] = BinaryPrimitives.ReadInt32LittleEndian(span[(i * 4)..]);
        }

        try
        {
            return new decimal(parts);
        }
        catch (ArgumentException ex)
        {
            throw new WireFormatException("invalid decimal", ex);
        }
    }

    /// <summary>A Guid.</summary>
    public Guid ReadGuid() => new(Take(16));

    /// <summary>A TimeSpan.</summary>
    public TimeSpan ReadTimeSpan() => new(ReadVarInt64());

    /// <summary>A DateTime.</summary>
    public DateTime ReadDateTime()
    {
        var ticks = ReadVarInt64();
        var kind = ReadByte();
        if (ticks < DateTime.MinValue.Ticks || ticks > DateTime.MaxValue.Ticks || kind > (byte)DateTimeKind.Local)
        {
            throw Invalid("DateTime out of range");
        }

        return new DateTime(ticks, (DateTimeKind)kind);
    }

    /// <summary>A DateTimeOffset.</summary>
    public DateTimeOffset ReadDateTimeOffset()
    {
        var ticks = ReadVarInt64();
        var minutes = ReadVarInt64();
        try
        {
            return new DateTimeOffset(ticks, TimeSpan.FromMinutes(minutes));
        }
        catch (ArgumentException ex)
        {
            throw new WireFormatException("DateTimeOffset out of range", ex);
        }
    }

    /// <summary>A string or null.</summary>
    public string? ReadString()
    {
        var length = ReadLength();
        return length < 0 ? null : Encoding.UTF8.GetString(Take(length));
    }

    /// <summary>Raw bytes; the span points into the input.</summary>
    public ReadOnlySpan<byte> ReadBytes()
    {
        var length = ReadLength();
        return length < 0 ? throw Invalid("null where bytes were expected") : Take(length);
    }

    /// <summary>A byte array or null (a copy of the input bytes).</summary>
    public byte[]? ReadByteArray()
    {
        var length = ReadLength();
        if (length < 0)
        {
            return null;
        }

        // Uninitialised: the copy overwrites every byte (batches of records are megabytes).
        var bytes = GC.AllocateUninitializedArray<byte>(length);
        Take(length).CopyTo(bytes);
        return bytes;
    }

    /// <summary>A byte sequence written by <see cref="WireWriter.WriteByteSequence"/>: its pieces, each copied into an array of its own.</summary>
    public ReadOnlySequence<byte> ReadByteSequence()
    {
        var count = ReadLength();
        if (count < 0)
        {
            throw Invalid("null where a byte sequence was expected");
        }

        var pieces = new ReadOnlyMemory<byte>[count];
        for (var i = 0; i < count; i++)
        {
            // Uninitialised: the copy overwrites every byte.
            var bytes = ReadBytes();
            var piece = GC.AllocateUninitializedArray<byte>(bytes.Length);
            bytes.CopyTo(piece);
            pieces[i] = piece;
        }

        return ByteSequence.Of(pieces);
    }

    /// <summary>
    /// The next field of a contract object: false at the end of the object. After reading the value (or not, for an
    /// unknown id) call <see cref="SkipTo"/> with <paramref name="end"/>.
    /// </summary>
    public bool ReadField(out uint id, out int end)
    {
        var header = ReadVarUInt64();
        if (header == 0)
        {
            id = 0;
            end = _position;
            return false;
        }

        if (header - 1 > uint.MaxValue)
        {
            throw Invalid("field id out of range");
        }

        id = (uint)(header - 1);
        var length = BinaryPrimitives.ReadInt32LittleEndian(Take(4));
        if (length < 0 || length > _span.Length - _position)
        {
            throw Invalid($"field {id} claims {length} bytes, {_span.Length - _position} remain");
        }

        end = _position + length;
        return true;
    }

    /// <summary>Moves to the end of a field, skipping what was not read.</summary>
    public void SkipTo(int end)
    {
        if (end < _position || end > _span.Length)
        {
            throw Invalid($"field value ran past its end ({_position} > {end})");
        }

        _position = end;
    }

    /// <summary>A count of elements (a varint of count + 1; -1 for null), bounded by the bytes left.</summary>
    public int ReadLength()
    {
        var raw = ReadVarUInt64();
        if (raw == 0)
        {
            return -1;
        }

        if (raw - 1 > (ulong)(_span.Length - _position))
        {
            throw Invalid($"length {raw - 1} exceeds the {_span.Length - _position} bytes left");
        }

        return (int)(raw - 1);
    }

    private ReadOnlySpan<byte> Take(int count)
    {
        if (count > _span.Length - _position)
        {
            throw Invalid($"needs {count} bytes at {_position}, {_span.Length - _position} remain");
        }

        var span = _span.Slice(_position, count);
        _position += count;
        return span;
    }

    private static long Ranged(long value, long min, long max) => value < min || value > max ? throw Invalid($"{value} out of range") : value;

    private static ulong Ranged(ulong value, ulong max) => value > max ? throw Invalid($"{value} out of range") : value;

    [DoesNotReturn]
    private static WireFormatException Invalid(string problem) => throw new WireFormatException("Invalid wire data: " + problem + ".");
}
