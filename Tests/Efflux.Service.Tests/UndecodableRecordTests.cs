using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace Efflux.Service.Tests;

/// <summary>
/// A stored record whose payload does not decode as the encoding its metadata declares (written by an older version,
/// or by hand: the silo refuses to store one) is served as stored, and never breaks the reads around it.
/// </summary>
public sealed class UndecodableRecordTests
{
    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    /// <summary>A record-format v1 record (docs/FORMAT.md) at <paramref name="offset"/>, linked to <paramref name="previous"/>, that says gzip over plain text.</summary>
    private static byte[] PoisonRecord(long offset, string previous)
    {
        var payload = "not gzip at all"u8.ToArray();
        var now = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture);
        var metadata = Encoding.UTF8.GetBytes(
            $$"""{"Id":"poison","Offset":{{offset}},"Created":"{{now}}","Timestamp":"{{now}}","PayloadHash":"{{Convert.ToBase64String(SHA256.HashData(payload))}}","LinkedFingerprint":"{{previous}}","ContentType":"text/plain","ContentEncoding":"gzip"}""");
        var length = 54 + metadata.Length + payload.Length;
        var record = new byte[length];
        new byte[] { 0x05, 0x01, 0x14, 0x29, 0x83, 0x0A }.CopyTo(record, 0);
        BinaryPrimitives.WriteInt32LittleEndian(record.AsSpan(6), length);
        BinaryPrimitives.WriteInt32LittleEndian(record.AsSpan(10), metadata.Length);
        SHA256.HashData(metadata).CopyTo(record, 14);
        metadata.CopyTo(record, 46);
        payload.CopyTo(record, 46 + metadata.Length);
        BinaryPrimitives.WriteInt32LittleEndian(record.AsSpan(length - 8), length);
        new byte[] { 0x06, 0x11, 0x52, 0x5B }.CopyTo(record, length - 4);
        return record;
    }

    [Fact]
    public async Task ARecordThatDoesNotDecode_IsServedAsStored_AndTheRecordsAroundItReadAsUsual()
    {
        await using var silo = await InProcessSilo.StartAsync();
        await Problems.Json(await silo.Http.PutAsync("/v1/topics/old/t", Json("""{"partitions":1}""")), HttpStatusCode.Created);
        await Problems.Json(await silo.Http.PostAsync("/v1/topics/old/t/messages", Json("""{"messages":[{"data":1}]}""")), HttpStatusCode.Created);
        var first = (await Problems.Json(await silo.Http.GetAsync("/v1/topics/old/t/partitions/0/messages?from=0"))).GetProperty("messages")[0];

        // Stop the silo and add the poisoned record to the segment, as an older version could have written it.
        await silo.StopAsync();
        var segment = Directory.GetFiles(Path.Combine(silo.DataDirectory, "old", "t", "0"), "*.log").Single();
        await using (var file = new FileStream(segment, FileMode.Append))
        {
            await file.WriteAsync(PoisonRecord(1, first.GetProperty("fingerprint").GetString()!));
        }

        await silo.StartAgainAsync();
        await Problems.Json(await silo.Http.PostAsync("/v1/topics/old/t/messages", Json("""{"messages":[{"data":3}]}""")), HttpStatusCode.Created);

        var read = (await Problems.Json(await silo.Http.GetAsync("/v1/topics/old/t/partitions/0/messages?from=0"))).GetProperty("messages");
        Assert.Equal(3, read.GetArrayLength());
        Assert.Equal("gzip", read[1].GetProperty("contentEncoding").GetString());
        Assert.Equal("not gzip at all", Encoding.UTF8.GetString(Convert.FromBase64String(read[1].GetProperty("dataBase64").GetString()!)));
        Assert.Equal("3", read[2].GetProperty("data").GetRawText());

        using var raw = await silo.Http.GetAsync("/v1/topics/old/t/messages/by-id/poison?raw=true");
        Assert.Equal(HttpStatusCode.OK, raw.StatusCode);
        Assert.Equal("gzip", Assert.Single(raw.Content.Headers.ContentEncoding));
        Assert.Equal("not gzip at all", await raw.Content.ReadAsStringAsync());

        // Server-Sent Events go past it too.
        using var stream = await silo.Http.GetAsync("/v1/topics/old/t/partitions/0/stream?from=0", HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await stream.Content.ReadAsStreamAsync());
        var ids = new List<string>();
        while (ids.Count < 3 && await reader.ReadLineAsync() is { } line)
        {
            if (line.StartsWith("id: ", StringComparison.Ordinal))
            {
                ids.Add(line[4..]);
            }
        }

        Assert.Equal(["0", "1", "2"], ids);
        Assert.True((await Problems.Json(await silo.Http.GetAsync("/v1/topics/old/t/partitions/0/verify"))).GetProperty("ok").GetBoolean());
    }
}
