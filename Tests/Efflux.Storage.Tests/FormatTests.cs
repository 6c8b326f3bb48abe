using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Efflux.Format;

namespace Efflux.Storage.Tests;

public sealed class FormatTests
{
    [Fact]
    public async Task Append_FirstRecord_MatchesTheDocumentedLayoutByteForByte()
    {
        using var dir = new TempDir();
        var created = new DateTimeOffset(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);
        await using (var log = await Logs.OpenAsync(dir, new PartitionLogOptions { TimeProvider = new ManualClock(created) }))
        {
            await log.AppendAsync(new AppendMessage("hello"u8.ToArray()) { Id = "a", DataType = "greeting", Properties = new Dictionary<string, string> { ["k"] = "v" } });
        }

        var bytes = File.ReadAllBytes(Logs.SegmentFiles(dir)[0]);
        Assert.Equal("00000000000000000000.log", Path.GetFileName(Logs.SegmentFiles(dir)[0]));
        Assert.Equal(new byte[] { 0x05, 0x01, 0x14, 0x29, 0x83, 0x0A }, bytes[..6]);
        var l = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(6));
        var m = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(10));
        Assert.Equal(bytes.Length, l);
        Assert.Equal(l, BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(l - 8)));
        Assert.Equal(new byte[] { 0x06, 0x11, 0x52, 0x5B }, bytes[(l - 4)..]);
        var metadata = bytes.AsSpan(46, m);
        Assert.Equal(SHA256.HashData(metadata), bytes[14..46]);
        Assert.Equal("hello", Encoding.UTF8.GetString(bytes.AsSpan(46 + m, l - 54 - m)));

        using var json = JsonDocument.Parse(metadata.ToArray());
        var root = json.RootElement;
        Assert.Equal("a", root.GetProperty("Id").GetString());
        Assert.Equal(0, root.GetProperty("Offset").GetInt64());
        Assert.Equal("2026-11-22T10:00:00.0000000Z", root.GetProperty("Created").GetString());
        Assert.False(root.TryGetProperty("Timestamp", out _), "Timestamp equal to Created is left out");
        Assert.Equal(Convert.ToBase64String(SHA256.HashData("hello"u8)), root.GetProperty("PayloadHash").GetString());
        Assert.Equal(Convert.ToBase64String(SHA256.HashData("efflux/v1/ns/topic/0"u8)), root.GetProperty("LinkedFingerprint").GetString());
        Assert.Equal("greeting", root.GetProperty("DataType").GetString());
        Assert.Equal("v", root.GetProperty("Properties").GetProperty("k").GetString());
        Assert.False(root.TryGetProperty("MessageGroup", out _));
    }

    [Fact]
    public async Task Append_ManyRecords_AnIndependentVerifierAcceptsTheChain()
    {
        using var dir = new TempDir();
        await using (var log = await Logs.OpenAsync(dir, new PartitionLogOptions { SegmentMaxBytes = 8192 }))
        {
            await Logs.AppendManyAsync(log, 200, 150);
        }

        Assert.True(Logs.SegmentFiles(dir).Length > 3);
        Assert.Equal(200, IndependentVerifier.Verify(dir.Partition(), "ns", "topic", 0));
    }

    [Fact]
    public async Task AnOpenLogsFiles_EndingInTheZerosWrittenAhead_AnIndependentVerifierAcceptsThem()
    {
        using var dir = new TempDir();
        await using var log = await Logs.OpenAsync(dir, new PartitionLogOptions { SegmentMaxBytes = 64 << 10 });
        await Logs.AppendManyAsync(log, 300, 150);

        var files = Logs.SegmentFiles(dir);
        var records = log.TotalBytes - files[..^1].Sum(f => new FileInfo(f).Length);
        await Eventually.WaitUntil(() => new FileInfo(files[^1]).Length > records);
        Assert.Equal(300, IndependentVerifier.Verify(dir.Partition(), "ns", "topic", 0));
    }

    [Theory]
    [InlineData("")]
    [InlineData("plain")]
    [InlineData("quote \" backslash \\ newline \n tab \t nul \u0000 bell \u0007")]
    [InlineData("unicode é 中文 😀")]
    public async Task Append_MetadataStrings_RoundTripExactly(string text)
    {
        using var dir = new TempDir();
        await using var log = await Logs.OpenAsync(dir);
        var props = new Dictionary<string, string> { [text + "k"] = text, ["x"] = "y" };
        var r = await log.AppendAsync(new AppendMessage(Encoding.UTF8.GetBytes(text)) { Id = "id" + text, DataType = text, ContentType = text, MessageGroup = text, Properties = props });
        var read = log.Read(r.Offset)!;
        Assert.Equal("id" + text, read.Metadata.Id);
        Assert.Equal(text, read.Metadata.DataType);
        Assert.Equal(text, read.Metadata.ContentType);
        Assert.Equal(text, read.Metadata.MessageGroup);
        Assert.Equal(props, read.Metadata.Properties);
        Assert.Equal(text, Encoding.UTF8.GetString(read.Payload.Span));
        Assert.True(log.Verify().Ok);
    }

    [Fact]
    public async Task Append_EmptyAndLargePayloads_RoundTrip()
    {
        using var dir = new TempDir();
        await using var log = await Logs.OpenAsync(dir);
        var big = Logs.Payload(1, 3 << 20);
        var a = await log.AppendAsync(new AppendMessage(Array.Empty<byte>()));
        var b = await log.AppendAsync(new AppendMessage(big));
        Assert.Empty(log.Read(a.Offset)!.Payload.ToArray());
        Assert.Equal(big, log.Read(b.Offset)!.Payload.ToArray());
        Assert.True(log.Verify().Ok);
    }

    [Fact]
    public async Task Append_Gzip_IsStoredCompressedAndDecodedOnRead()
    {
        using var dir = new TempDir();
        await using var log = await Logs.OpenAsync(dir);
        var text = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("compress me ", 500)));
        var r = await log.AppendAsync(new AppendMessage(text) { Compress = true, ContentType = "text/plain" });
        var read = log.Read(r.Offset)!;
        Assert.Equal("gzip", read.Metadata.ContentEncoding);
        Assert.True(read.Payload.Length < text.Length / 10);
        Assert.Equal(text, read.DecodePayload());
        Assert.Equal(SHA256.HashData(read.Payload.Span), read.Metadata.PayloadHash);
    }

    [Fact]
    public async Task Append_CallerTimestamp_IsKeptSeparateFromCreated()
    {
        using var dir = new TempDir();
        var clock = new ManualClock(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        await using var log = await Logs.OpenAsync(dir, new PartitionLogOptions { TimeProvider = clock });
        var eventTime = new DateTimeOffset(2020, 5, 6, 7, 8, 9, 123, TimeSpan.FromHours(2));
        var r = await log.AppendAsync(new AppendMessage("x"u8.ToArray()) { Timestamp = eventTime });
        var m = log.Read(r.Offset)!.Metadata;
        Assert.Equal(eventTime.UtcDateTime, m.Timestamp);
        Assert.Equal(clock.GetUtcNow().UtcDateTime, m.Created);
        Assert.Equal(DateTimeKind.Utc, m.Timestamp.Kind);
    }

    [Fact]
    public void MetadataReader_UnknownFields_AreIgnored()
    {
        var hash = Convert.ToBase64String(new byte[32]);
        var json = $$"""{"Id":"x","Extra":{"deep":[1,2,{"a":null}]},"Offset":5,"Created":"2026-01-01T00:00:00.0000000Z","PayloadHash":"{{hash}}","LinkedFingerprint":"{{hash}}","Future":true}""";
        var m = MetadataReader.Read(Encoding.UTF8.GetBytes(json));
        Assert.Equal(5, m.Offset);
        Assert.Equal(m.Created, m.Timestamp);
    }

    [Theory]
    [InlineData("2026-03-04T05:06:07.1234567Z", "2026-03-04T05:06:07.1234567Z")]
    [InlineData("2026-03-04T05:06:07Z", "2026-03-04T05:06:07.0000000Z")]
    [InlineData("2026-03-04T07:06:07.5+02:00", "2026-03-04T05:06:07.5000000Z")]
    [InlineData("2026-03-04T05:06:07.25", "2026-03-04T05:06:07.2500000Z")]
    [InlineData("\\u0032026-03-04T05:06:07.75Z", "2026-03-04T05:06:07.7500000Z")]
    public void MetadataReader_Times_AreReadAsUtc_WhateverIsoFormTheyHave(string written, string utc)
    {
        var hash = Convert.ToBase64String(new byte[32]);
        var json = $$"""{"Id":"x","Offset":5,"Created":"{{written}}","Timestamp":"{{written}}","PayloadHash":"{{hash}}","LinkedFingerprint":"{{hash}}"}""";
        var m = MetadataReader.Read(Encoding.UTF8.GetBytes(json));
        Assert.Equal(utc, m.Created.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(DateTimeKind.Utc, m.Timestamp.Kind);
        Assert.Equal(m.Created, m.Timestamp);
    }

    /// <summary>
    /// The event fields a live query reads (fast path for the writer's own form, general reader otherwise) are the full
    /// reader's, for metadata as the writer puts it with and without each optional field, and for other spellings.
    /// </summary>
    [Theory]
    [InlineData(null, null, null, null, false, false)]
    [InlineData("reading", "application/json", null, "g-1", true, false)]
    [InlineData(null, null, "gzip", null, false, false)]
    [InlineData("type with \"quotes\" and é", "text/plain", "gzip", "grüppe", true, false)]
    [InlineData("t", null, null, null, true, true)]
    public void MetadataReader_EventFields_AreTheFullReadersFields(string? dataType, string? contentType, string? contentEncoding, string? group, bool eventTime, bool properties)
    {
        var created = new DateTime(2026, 3, 4, 5, 6, 7, DateTimeKind.Utc).AddTicks(1234567);
        var buffer = new byte[4096];
        var length = MetadataWriter.Write(buffer, new MetadataFields
        {
            Id = "id-7",
            Offset = 42,
            CreatedTicks = created.Ticks,
            TimestampTicks = eventTime ? created.AddMinutes(-3).Ticks : created.Ticks,
            PayloadHash = new byte[32],
            LinkedFingerprint = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray(),
            DataType = dataType,
            ContentType = contentType,
            ContentEncoding = contentEncoding,
            MessageGroup = group,
            Properties = properties ? new Dictionary<string, string> { ["a"] = "b", ["c\"d"] = "e" } : null,
        });
        var hash = Convert.ToBase64String(new byte[32]);
        string[] others =
        [
            Encoding.UTF8.GetString(buffer, 0, length),
            $$"""{"Offset":1,"LinkedFingerprint":"{{hash}}","PayloadHash":"{{hash}}","Created":"2026-01-01T00:00:00Z","Id":"x\u0041","DataType":{{(dataType is null ? "null" : JsonSerializer.Serialize(dataType))}},"Extra":[1,{"b":2}]}""",
            $$"""{"Id":"x","Offset":1,"Created":"2026-01-01T00:00:00.0000000Z","Timestamp":"2026-01-01T02:00:00+02:00","PayloadHash":"{{hash}}","LinkedFingerprint":"{{hash}}","ContentEncoding":"gzip"}""",
        ];
        foreach (var json in others.Select(Encoding.UTF8.GetBytes))
        {
            var full = MetadataReader.Read(json);
            var fields = MetadataReader.ReadEventFields(json);
            Assert.Equal(new EventFields(full.Id, full.Timestamp, full.DataType, full.ContentEncoding, full.MessageGroup), fields);
            Assert.Equal(DateTimeKind.Utc, fields.Timestamp.Kind);
        }

        Assert.Equal(eventTime ? created.AddMinutes(-3) : created, MetadataReader.ReadEventFields(buffer.AsSpan(0, length)).Timestamp);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("{\"Id\":\"x\"}")]
    [InlineData("{\"Id\":1,\"Offset\":0}")]
    [InlineData("{\"Id\":\"x\",\"Offset\":1,\"Created\":\"2026-13-01T00:00:00.0000000Z\",\"PayloadHash\":\"\",\"LinkedFingerprint\":\"\"}")]
    [InlineData("{\"Id\":\"x\",\"Offset\":1,\"Created\":\"2026-01-01T00:00:00.0000000Z\",\"PayloadHash\":\"\",\"LinkedFingerprint\":\"\"")]
    public void MetadataReader_MalformedMetadata_ThrowsFormatException(string json)
    {
        Assert.Throws<FormatException>(() => MetadataReader.Read(Encoding.UTF8.GetBytes(json)));
        Assert.Throws<FormatException>(() => MetadataReader.ReadEventFields(Encoding.UTF8.GetBytes(json)));
    }

    [Fact]
    public void Sha256Fast_MatchesTheBclOnManySizes()
    {
        for (var size = 0; size < 70_000; size = (size * 3) + 1)
        {
            var data = Logs.Payload(size, size);
            Assert.Equal(SHA256.HashData(data), Sha256Fast.Hash(data));
        }
    }
}
