namespace Efflux.Runtime.Serialization;

/// <summary>The built-in codecs: numbers, bool, char, Guid, time types, strings and byte payloads (raw bytes, never base64).</summary>
internal sealed class PrimitiveCodec :
    IWireCodec<bool>,
    IWireCodec<byte>,
    IWireCodec<sbyte>,
    IWireCodec<short>,
    IWireCodec<ushort>,
    IWireCodec<int>,
    IWireCodec<uint>,
    IWireCodec<long>,
    IWireCodec<ulong>,
    IWireCodec<char>,
    IWireCodec<float>,
    IWireCodec<double>,
    IWireCodec<decimal>,
    IWireCodec<Guid>,
    IWireCodec<TimeSpan>,
    IWireCodec<DateTime>,
    IWireCodec<DateTimeOffset>,
    IWireCodec<string?>,
    IWireCodec<byte[]?>,
    IWireCodec<ReadOnlyMemory<byte>>
{
    public static PrimitiveCodec Instance { get; } = new();

    /// <inheritdoc />
    public void Write(WireWriter writer, bool value) => writer.WriteBool(value);

    bool IWireCodec<bool>.Read(ref WireReader reader) => reader.ReadBool();

    /// <inheritdoc />
    public void Write(WireWriter writer, byte value) => writer.WriteByte(value);

    byte IWireCodec<byte>.Read(ref WireReader reader) => reader.ReadByte();

    /// <inheritdoc />
    public void Write(WireWriter writer, sbyte value) => writer.WriteSByte(value);

    sbyte IWireCodec<sbyte>.Read(ref WireReader reader) => reader.ReadSByte();

    /// <inheritdoc />
    public void Write(WireWriter writer, short value) => writer.WriteInt16(value);

    short IWireCodec<short>.Read(ref WireReader reader) => reader.ReadInt16();

    /// <inheritdoc />
    public void Write(WireWriter writer, ushort value) => writer.WriteUInt16(value);

    ushort IWireCodec<ushort>.Read(ref WireReader reader) => reader.ReadUInt16();

    /// <inheritdoc />
    public void Write(WireWriter writer, int value) => writer.WriteInt32(value);

    int IWireCodec<int>.Read(ref WireReader reader) => reader.ReadInt32();

    /// <inheritdoc />
    public void Write(WireWriter writer, uint value) => writer.WriteUInt32(value);

    uint IWireCodec<uint>.Read(ref WireReader reader) => reader.ReadUInt32();

    /// <inheritdoc />
    public void Write(WireWriter writer, long value) => writer.WriteInt64(value);

    long IWireCodec<long>.Read(ref WireReader reader) => reader.ReadInt64();

    /// <inheritdoc />
    public void Write(WireWriter writer, ulong value) => writer.WriteUInt64(value);

    ulong IWireCodec<ulong>.Read(ref WireReader reader) => reader.ReadUInt64();

    /// <inheritdoc />
    public void Write(WireWriter writer, char value) => writer.WriteChar(value);

    char IWireCodec<char>.Read(ref WireReader reader) => reader.ReadChar();

    /// <inheritdoc />
    public void Write(WireWriter writer, float value) => writer.WriteSingle(value);

    float IWireCodec<float>.Read(ref WireReader reader) => reader.ReadSingle();

    /// <inheritdoc />
    public void Write(WireWriter writer, double value) => writer.WriteDouble(value);

    double IWireCodec<double>.Read(ref WireReader reader) => reader.ReadDouble();

    /// <inheritdoc />
    public void Write(WireWriter writer, decimal value) => writer.WriteDecimal(value);

    decimal IWireCodec<decimal>.Read(ref WireReader reader) => reader.ReadDecimal();

    /// <inheritdoc />
    public void Write(WireWriter writer, Guid value) => writer.WriteGuid(value);

    Guid IWireCodec<Guid>.Read(ref WireReader reader) => reader.ReadGuid();

    /// <inheritdoc />
    public void Write(WireWriter writer, TimeSpan value) => writer.WriteTimeSpan(value);

    TimeSpan IWireCodec<TimeSpan>.Read(ref WireReader reader) => reader.ReadTimeSpan();

    /// <inheritdoc />
    public void Write(WireWriter writer, DateTime value) => writer.WriteDateTime(value);

    DateTime IWireCodec<DateTime>.Read(ref WireReader reader) => reader.ReadDateTime();

    /// <inheritdoc />
    public void Write(WireWriter writer, DateTimeOffset value) => writer.WriteDateTimeOffset(value);

    DateTimeOffset IWireCodec<DateTimeOffset>.Read(ref WireReader reader) => reader.ReadDateTimeOffset();

    /// <inheritdoc />
    public void Write(WireWriter writer, string? value) => writer.WriteString(value);

    string? IWireCodec<string?>.Read(ref WireReader reader) => reader.ReadString();

    /// <inheritdoc />
    public void Write(WireWriter writer, byte[]? value) => writer.WriteByteArray(value);

    byte[]? IWireCodec<byte[]?>.Read(ref WireReader reader) => reader.ReadByteArray();

    /// <inheritdoc />
    public void Write(WireWriter writer, ReadOnlyMemory<byte> value) => writer.WriteBytes(value.Span);

    ReadOnlyMemory<byte> IWireCodec<ReadOnlyMemory<byte>>.Read(ref WireReader reader) => reader.ReadBytes().ToArray();
}
