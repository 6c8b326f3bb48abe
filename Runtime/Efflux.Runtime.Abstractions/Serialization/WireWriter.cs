using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Efflux.Runtime.Serialization;

/// <summary>
/// Writes the Efflux wire format into a pooled, growable buffer. Integers are LEB128 varints (signed ones zig-zag
/// encoded), floats and Guids fixed little-endian, strings a varint of (byte length + 1; 0 = null) then UTF-8, byte
/// payloads a varint of (length + 1) then the raw bytes. A contract object is a run of fields, each a varint of
/// (id + 1), a 4-byte little-endian length and the value, ended by a varint 0; a reader skips fields it does not know.
/// Owned by one thread at a time; dispose to return the buffer to the pool.
/// </summary>
public sealed class WireWriter : IDisposable
{
    private byte[] _buffer;
    private int _length;
    private bool _disposed;

    /// <summary>Creates a writer with room for <paramref name="capacity"/> bytes before it grows.</summary>
    public WireWriter(int capacity = 256)
    {
        _buffer = ArrayPool<byte>.Shared.Rent(Math.Max(16, capacity));
    }

    /// <summary>The bytes written so far.</summary>
    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _length);

    /// <summary>The bytes written so far (valid until the next write or reset).</summary>
    public ReadOnlyMemory<byte> WrittenMemory => _buffer.AsMemory(0, _length);

    /// <summary>Number of bytes written.</summary>
    public int Length => _length;

    /// <summary>How many bytes the buffer holds before it grows.</summary>
    public int Capacity => _buffer.Length;

    /// <summary>Forgets what was written and keeps the buffer.</summary>
    public void Reset() => _length = 0;

    /// <summary>Forgets what was written after the first <paramref name="length"/> bytes.</summary>
    public void Truncate(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, _length);
        _length = length;
    }

    /// <summary>A copy of the written bytes.</summary>
    public byte[] ToArray() => WrittenSpan.ToArray();

    /// <inheritdoc />
    public void Dispose()
    {
        var buffer = _buffer;
        _disposed = true;
        _buffer = [];
        _length = 0;
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>One byte.</summary>
    public void WriteByte(byte value) => Reserve(1)[0] = value;

    /// <summary>A boolean as one byte.</summary>
    public void WriteBool(bool value) => WriteByte(value ? (byte)1 : (byte)0);

    /// <summary>An unsigned varint.</summary>
    public void WriteVarUInt64(ulong value)
    {
        var span = Reserve(10);
        var i = 0;
        while (value >= 0x80)
        {
            span[i++] = (byte)(value | 0x80);
            value >>= 7;
        }

        span[i++] = (byte)value;
        _length -= 10 - i;
    }

    /// <summary>A signed varint (zig-zag).</summary>
    public void WriteVarInt64(long value) => WriteVarUInt64((ulong)((value << 1) ^ (value >> 63)));

    /// <summary>An sbyte (zig-zag varint).</summary>
    public void WriteSByte(sbyte value) => WriteVarInt64(value);

    /// <summary>A short (zig-zag varint).</summary>
    public void WriteInt16(short value) => WriteVarInt64(value);

    /// <summary>A ushort (varint).</summary>
    public void WriteUInt16(ushort value) => WriteVarUInt64(value);

    /// <summary>An int (zig-zag varint).</summary>
    public void WriteInt32(int value) => WriteVarInt64(value);

    /// <summary>A uint (varint).</summary>
    public void WriteUInt32(uint value) => WriteVarUInt64(value);

    /// <summary>A long (zig-zag varint).</summary>
    public void WriteInt64(long value) => WriteVarInt64(value);

    /// <summary>A ulong (varint).</summary>
    public void WriteUInt64(ulong value) => WriteVarUInt64(value);

    /// <summary>A char (varint).</summary>
    public void WriteChar(char value) => WriteVarUInt64(value);

    /// <summary>A float, 4 bytes little-endian.</summary>
    public void WriteSingle(float value) => BinaryPrimitives.WriteSingleLittleEndian(Reserve(4), value);

    /// <summary>A double, 8 bytes little-endian.</summary>
    public void WriteDouble(double value) => BinaryPrimitives.WriteDoubleLittleEndian(Reserve(8), value);

    /// <summary>A decimal as its four 32-bit parts.</summary>
    public void WriteDecimal(decimal value)
    {
        Span<int> parts = stackalloc int[4];
        decimal.GetBits(value, parts);
        var span = Reserve(16);
        for (var i = 0; i < 4; i++)
        {
            BinaryPrimitives.WriteInt32LittleEndian(span[(i * 4)..], parts[i]);
        }
    }

    /// <summary>A Guid, 16 bytes.</summary>
    public void WriteGuid(Guid value)
    {
        if (!value.TryWriteBytes(Reserve(16)))
        {
            throw new InvalidOperationException("Guid did not fit in 16 bytes.");
        }
    }

    /// <summary>A TimeSpan as its ticks.</summary>
    public void WriteTimeSpan(TimeSpan value) => WriteVarInt64(value.Ticks);

    /// <summary>A DateTime as its ticks and kind.</summary>
    public void WriteDateTime(DateTime value)
    {
        WriteVarInt64(value.Ticks);
        WriteByte((byte)value.Kind);
    }

    /// <summary>A DateTimeOffset as its ticks and offset in minutes.</summary>
    public void WriteDateTimeOffset(DateTimeOffset value)
    {
        WriteVarInt64(value.Ticks);
        WriteVarInt64((long)value.Offset.TotalMinutes);
    }

    /// <summary>A string (null allowed).</summary>
    public void WriteString(string? value)
    {
        if (value is null)
        {
            WriteVarUInt64(0);
            return;
        }

        var count = Encoding.UTF8.GetByteCount(value);
        WriteVarUInt64((ulong)count + 1);
        Encoding.UTF8.GetBytes(value, Reserve(count));
    }

    /// <summary>Raw bytes with their length.</summary>
    public void WriteBytes(ReadOnlySpan<byte> value)
    {
        WriteVarUInt64((ulong)value.Length + 1);
        value.CopyTo(Reserve(value.Length));
    }

    /// <summary>A byte array (null allowed) as raw bytes.</summary>
    public void WriteByteArray(byte[]? value)
    {
        if (value is null)
        {
            WriteVarUInt64(0);
            return;
        }

        WriteBytes(value);
    }

    /// <summary>
    /// A byte sequence piece by piece (a count, then each non-empty piece as bytes), so that
    /// <see cref="WireReader.ReadByteSequence"/> gives the reader the same pieces.
    /// </summary>
    public void WriteByteSequence(in ReadOnlySequence<byte> value)
    {
        var pieces = 0;
        foreach (var piece in value)
        {
            pieces += piece.IsEmpty ? 0 : 1;
        }

        WriteVarUInt64((ulong)pieces + 1);

        // Room for all of it at once, rather than doubling (and copying) its way up through megabytes.
        if (_length + value.Length + (pieces * 5L) > _buffer.Length)
        {
            Grow(checked((int)(value.Length + (pieces * 5L))));
        }

        foreach (var piece in value)
        {
            if (!piece.IsEmpty)
            {
                WriteBytes(piece.Span);
            }
        }
    }

    /// <summary>Bytes as they are, without a length (for framing).</summary>
    public void WriteRaw(ReadOnlySpan<byte> bytes) => bytes.CopyTo(Reserve(bytes.Length));

    /// <summary>Overwrites 4 already written bytes at <paramref name="position"/> with a little-endian int (for framing).</summary>
    public void PatchInt32(int position, int value)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(position, _length - 4);
        BinaryPrimitives.WriteInt32LittleEndian(_buffer.AsSpan(position), value);
    }

    /// <summary>Starts field <paramref name="id"/> of a contract object; pass the result to <see cref="EndField"/>.</summary>
    public int BeginField(uint id)
    {
        WriteVarUInt64((ulong)id + 1);
        Reserve(4);
        return _length;
    }

    /// <summary>Ends a field: writes its length in front of it.</summary>
    public void EndField(int start) => BinaryPrimitives.WriteInt32LittleEndian(_buffer.AsSpan(start - 4), _length - start);

    /// <summary>Ends a contract object's fields.</summary>
    public void WriteEndObject() => WriteVarUInt64(0);

    /// <summary>Room for <paramref name="count"/> more bytes, counted as written.</summary>
    public Span<byte> Reserve(int count)
    {
        if (_length + count > _buffer.Length)
        {
            Grow(count);
        }

        var span = _buffer.AsSpan(_length, count);
        _length += count;
        return span;
    }

    private void Grow(int count)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, _length + count));
        _buffer.AsSpan(0, _length).CopyTo(bigger);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = bigger;
    }
}
