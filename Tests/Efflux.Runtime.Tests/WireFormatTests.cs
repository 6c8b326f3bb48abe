using Efflux.Runtime.Serialization;

namespace Efflux.Runtime.Tests;

/// <summary>The wire format: exact round trips, tolerance of added and removed fields, and damaged input that fails cleanly.</summary>
public sealed class WireFormatTests
{
    [Fact]
    public void Contract_NewerWriterOlderReader_SkipsUnknownFields()
    {
        var bytes = Write(new PersonV2 { Name = "ada", Age = 36, Photo = [1, 2, 3] });
        var reader = new WireReader(bytes);
        var v1 = WireCodec<PersonV1>.Read(ref reader);
        Assert.True(reader.End);
        Assert.Equal("ada", v1!.Name);
    }

    [Fact]
    public void Contract_OlderWriterNewerReader_KeepsDefaultsOfMissingFields()
    {
        var bytes = Write(new PersonV1 { Name = "bob" });
        var reader = new WireReader(bytes);
        var v2 = WireCodec<PersonV2>.Read(ref reader);
        Assert.Equal("bob", v2!.Name);
        Assert.Equal(-1, v2.Age);
        Assert.Null(v2.Photo);
    }

    [Fact]
    public void Primitives_Extremes_RoundTrip()
    {
        using var writer = new WireWriter(16);
        writer.WriteInt64(long.MinValue);
        writer.WriteInt64(long.MaxValue);
        writer.WriteUInt64(ulong.MaxValue);
        writer.WriteInt32(int.MinValue);
        writer.WriteDouble(double.Epsilon);
        writer.WriteDecimal(decimal.MinValue);
        writer.WriteString(string.Empty);
        writer.WriteString(null);
        writer.WriteString(new string('é', 5000));
        writer.WriteDateTime(DateTime.MaxValue);
        writer.WriteChar('\uffff');
        var reader = new WireReader(writer.ToArray());
        Assert.Equal(long.MinValue, reader.ReadInt64());
        Assert.Equal(long.MaxValue, reader.ReadInt64());
        Assert.Equal(ulong.MaxValue, reader.ReadUInt64());
        Assert.Equal(int.MinValue, reader.ReadInt32());
        Assert.Equal(double.Epsilon, reader.ReadDouble());
        Assert.Equal(decimal.MinValue, reader.ReadDecimal());
        Assert.Equal(string.Empty, reader.ReadString());
        Assert.Null(reader.ReadString());
        Assert.Equal(new string('é', 5000), reader.ReadString());
        Assert.Equal(DateTime.MaxValue, reader.ReadDateTime());
        Assert.Equal('\uffff', reader.ReadChar());
        Assert.True(reader.End);
    }

    [Fact]
    public void ByteSequence_ArrivesInThePiecesItWasSentIn_EachInAnArrayOfItsOwn()
    {
        byte[][] pieces = [[1, 2, 3], [], [4], [.. Enumerable.Range(0, 70_000).Select(i => (byte)i)], [5, 6]];
        var sent = new Chunked { Data = ByteSequence.Of([.. pieces.Select(p => new ReadOnlyMemory<byte>(p))]), After = 42 };
        var bytes = Write(sent);

        var reader = new WireReader(bytes);
        var received = WireCodec<Chunked>.Read(ref reader)!;
        Assert.True(reader.End);
        Assert.Equal(42, received.After);
        var arrived = new List<byte[]>();
        foreach (var piece in received.Data)
        {
            arrived.Add(piece.ToArray());
        }

        // The empty piece is dropped; the others arrive as sent, none sharing the input buffer.
        Assert.Equal(pieces.Where(p => p.Length > 0), arrived);
        Array.Clear(bytes);
        Assert.Equal(pieces.Where(p => p.Length > 0).SelectMany(p => p), System.Buffers.BuffersExtensions.ToArray(received.Data));

        var empty = new WireReader(Write(new Chunked()));
        Assert.True(WireCodec<Chunked>.Read(ref empty)!.Data.IsEmpty);
    }

    [Fact]
    public void ByteSequence_TruncatedOrWithTooManyPieces_FailsWithWireFormatException()
    {
        var bytes = Write(new Chunked { Data = ByteSequence.Of([new byte[] { 1, 2 }, new byte[] { 3 }]) });
        for (var cut = 0; cut < bytes.Length; cut++)
        {
            var ex = Record.Exception(() =>
            {
                var reader = new WireReader(bytes.AsSpan(0, cut));
                WireCodec<Chunked>.Read(ref reader);
            });
            Assert.IsType<WireFormatException>(ex);
        }

        using var writer = new WireWriter();
        writer.WriteVarUInt64(1_000_001);
        writer.WriteBytes([9]);
        Assert.Throws<WireFormatException>(() =>
        {
            var reader = new WireReader(writer.WrittenSpan);
            reader.ReadByteSequence();
        });
    }

    [Fact]
    public void Reader_TruncatedAtEveryByte_FailsWithWireFormatException()
    {
        var bytes = Write(Sample());
        for (var cut = 0; cut < bytes.Length; cut++)
        {
            var ex = Record.Exception(() =>
            {
                var reader = new WireReader(bytes.AsSpan(0, cut));
                WireCodec<Reading>.Read(ref reader);
            });
            Assert.IsType<WireFormatException>(ex);
        }
    }

    [Fact]
    public void Reader_BitFlips_EitherDecodeOrFailWithWireFormatException()
    {
        var bytes = Write(Sample());
        var failures = 0;
        for (var bit = 0; bit < bytes.Length * 8; bit++)
        {
            var damaged = (byte[])bytes.Clone();
            damaged[bit / 8] ^= (byte)(1 << (bit % 8));
            var ex = Record.Exception(() =>
            {
                var reader = new WireReader(damaged);
                WireCodec<Reading>.Read(ref reader);
            });
            if (ex is not null)
            {
                Assert.IsType<WireFormatException>(ex);
                failures++;
            }
        }

        Assert.True(failures > 0, "no flipped bit was ever detected");
    }

    [Fact]
    public void Reader_HugeLengthPrefix_IsRejectedBeforeAllocating()
    {
        using var writer = new WireWriter();
        writer.WriteVarUInt64(int.MaxValue);
        var bytes = writer.ToArray();
        var ex = Record.Exception(() =>
        {
            var reader = new WireReader(bytes);
            WireCodec<List<string>>.Read(ref reader);
        });
        Assert.IsType<WireFormatException>(ex);
    }

    [Fact]
    public void Codec_UnknownType_SaysHowToFixIt()
    {
        var ex = Assert.Throws<NotSupportedException>(() => WireCodec<Uri>.Instance);
        Assert.Contains("[GenerateSerializer]", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Writer_AfterDispose_RefusesToGrow()
    {
        var writer = new WireWriter(16);
        writer.Dispose();
        Assert.Throws<ObjectDisposedException>(() => writer.WriteString(new string('x', 100)));
    }

    private static Reading Sample() => new("sensor-7", 21.25) { Severity = Severity.High, Tags = ["t1", "t2"], Counters = new() { ["a"] = 1, ["b"] = -300 } };

    private static byte[] Write<T>(T value)
    {
        using var writer = new WireWriter();
        WireCodec<T>.Write(writer, value);
        return writer.ToArray();
    }
}
