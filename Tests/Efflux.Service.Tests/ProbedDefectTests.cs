using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace Efflux.Service.Tests;

/// <summary>A silo with a topic <c>probe/t</c> of two partitions holding a few messages, shared by the defect table.</summary>
public sealed class ProbedSilo : IAsyncLifetime
{
    public InProcessSilo Silo { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Silo = await InProcessSilo.StartAsync();
        using var created = await Silo.Http.PutAsync("/v1/topics/probe/t", new StringContent("""{"partitions":2}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        for (var i = 0; i < 3; i++)
        {
            using var produced = await Silo.Http.PostAsync("/v1/topics/probe/t/messages?partition=0", new StringContent($$"""{"messages":[{"data":{{i}}}]}""", Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.Created, produced.StatusCode);
        }
    }

    public Task DisposeAsync() => Silo.DisposeAsync().AsTask();
}

/// <summary>
/// The defects found when a silo was probed with bad input: each row is one request that used to poison reads, answer
/// 500 or be accepted, and must now be refused with a clear 4xx problem document (or, for encoded payloads that are
/// what they say, accepted and read back). Nothing a refused request carries is stored.
/// </summary>
public sealed class ProbedDefectTests(ProbedSilo fixture) : IClassFixture<ProbedSilo>
{
    private const string Huge = "99999999999999999999";

    private sealed record Probe(HttpMethod Method, string Path, Func<HttpContent?> Body, HttpStatusCode Status, (string Name, string Value)[] Headers);

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static ByteArrayContent Bytes(byte[] bytes, string contentType, string? encoding = null)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        if (encoding is not null)
        {
            content.Headers.ContentEncoding.Add(encoding);
        }

        return content;
    }

    private static Probe Get(string path, HttpStatusCode status, params (string, string)[] headers) => new(HttpMethod.Get, path, () => null, status, headers);

    private static Probe Post(string path, Func<HttpContent?> body, HttpStatusCode status) => new(HttpMethod.Post, path, body, status, []);

    private static Probe Put(string path, string json, HttpStatusCode status) => new(HttpMethod.Put, path, () => Json(json), status, []);

    private static readonly Dictionary<string, Probe> Probes = new()
    {
        // 1. A payload that declares an encoding it does not have, or one nobody can undo, is refused at produce time.
        ["raw body declared gzip that is not gzip"] = Post("/v1/topics/probe/t/messages?partition=1", () => Bytes("plain text"u8.ToArray(), "text/plain", "gzip"), HttpStatusCode.BadRequest),
        ["JSON message declaring gzip over plain base64 text"] = Post("/v1/topics/probe/t/messages?partition=1", () => Json($$"""{"messages":[{"contentEncoding":"gzip","dataBase64":"{{Convert.ToBase64String("plain text"u8)}}"}]}"""), HttpStatusCode.BadRequest),
        ["gzip stream cut short"] = Post("/v1/topics/probe/t/messages?partition=1", () => Bytes(Gzip("hello, hello, hello")[..^6], "text/plain", "gzip"), HttpStatusCode.BadRequest),
        ["unknown encoding rot13"] = Post("/v1/topics/probe/t/messages?partition=1", () => Bytes("uryyb"u8.ToArray(), "text/plain", "rot13"), HttpStatusCode.BadRequest),

        // 2. Input that used to answer 500.
        ["huge wait in days on messages"] = Get($"/v1/topics/probe/t/partitions/0/messages?wait={Huge}d", HttpStatusCode.BadRequest),
        ["huge wait in seconds on messages"] = Get($"/v1/topics/probe/t/partitions/0/messages?wait={Huge}s", HttpStatusCode.BadRequest),
        ["huge wait in milliseconds on messages"] = Get($"/v1/topics/probe/t/partitions/0/messages?wait={Huge}ms", HttpStatusCode.BadRequest),
        ["huge wait on group messages"] = Get($"/v1/topics/probe/t/groups/g/messages?wait={Huge}d", HttpStatusCode.BadRequest),
        ["retention as a number"] = Put("/v1/topics/probe/r1", """{"retention":5}""", HttpStatusCode.BadRequest),
        ["retention as an object"] = Put("/v1/topics/probe/r2", """{"retention":{}}""", HttpStatusCode.BadRequest),
        ["retention of a huge duration"] = Put("/v1/topics/probe/r3", $$"""{"retention":"{{Huge}}d"}""", HttpStatusCode.BadRequest),
        ["produce body with invalid UTF-8"] = Post("/v1/topics/probe/t/messages?partition=1", () => Bytes([.. "{\"messages\":[{\"data\":\""u8, 0xC3, 0x28, .. "\"}]}"u8], "application/json"), HttpStatusCode.BadRequest),
        ["CloudEvent with a numeric specversion"] = Post("/v1/topics/probe/t/messages?partition=1", () => Bytes("""{"specversion":1.0,"id":"e1","source":"s","type":"t","data":1}"""u8.ToArray(), "application/cloudevents+json"), HttpStatusCode.BadRequest),
        ["CloudEvent with a numeric data_base64"] = Post("/v1/topics/probe/t/messages?partition=1", () => Bytes("""{"specversion":"1.0","id":"e2","source":"s","type":"t","data_base64":5}"""u8.ToArray(), "application/cloudevents+json"), HttpStatusCode.BadRequest),
        ["commit with the partition as a string"] = Post("/v1/topics/probe/t/groups/g/commit", () => Json("""{"partition":"0","offset":1}"""), HttpStatusCode.BadRequest),

        // 3. Input that used to be accepted.
        ["read of more than 16 MiB at once"] = Get("/v1/topics/probe/t/partitions/0/messages?maxBytes=99999999999", HttpStatusCode.BadRequest),
        ["negative from on messages"] = Get("/v1/topics/probe/t/partitions/0/messages?from=-5", HttpStatusCode.BadRequest),
        ["most negative from on messages"] = Get($"/v1/topics/probe/t/partitions/0/messages?from={long.MinValue}", HttpStatusCode.BadRequest),
        ["negative from on stream"] = Get("/v1/topics/probe/t/partitions/0/stream?from=-5", HttpStatusCode.BadRequest),
        ["verify from past the end"] = Get("/v1/topics/probe/t/partitions/0/verify?from=999", HttpStatusCode.RequestedRangeNotSatisfiable),
        ["verify with from after to"] = Get("/v1/topics/probe/t/partitions/0/verify?from=2&to=1", HttpStatusCode.BadRequest),
        ["Last-Event-ID at the largest offset"] = Get("/v1/topics/probe/t/partitions/0/stream", HttpStatusCode.BadRequest, ("Last-Event-ID", long.MaxValue.ToString(System.Globalization.CultureInfo.InvariantCulture))),
        ["unknown top-level field in a produce body"] = Post("/v1/topics/probe/t/messages?partition=1", () => Json("""{"messages":[{"data":1}],"acks":"none"}"""), HttpStatusCode.BadRequest),
        ["POST to the readiness probe"] = Post("/health/ready", () => null, HttpStatusCode.MethodNotAllowed),
    };

    public static TheoryData<string> Cases => [.. Probes.Keys];

    private static byte[] Gzip(string text)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest))
        {
            gzip.Write(Encoding.UTF8.GetBytes(text));
        }

        return output.ToArray();
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task IsRefusedWithAClearProblem_AndStoresNothing(string probe)
    {
        var (method, path, body, status, headers) = Probes[probe];
        var before = await EndsAsync();
        using var request = new HttpRequestMessage(method, path) { Content = body() };
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        using var response = await fixture.Silo.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var detail = await Problems.AssertProblem(response, status, probe);
        Assert.False(string.IsNullOrWhiteSpace(detail), probe);
        Assert.DoesNotContain(fixture.Silo.DataDirectory, detail, StringComparison.Ordinal);
        Assert.Equal(before, await EndsAsync());
    }

    [Fact]
    public async Task APayloadThatIsGzip_IsStored_AndEveryReadServesItDecoded()
    {
        using var produced = await fixture.Silo.Http.PostAsync("/v1/topics/probe/gz/messages", Bytes(Gzip("""{"hello":"world"}"""), "application/vnd.hello+json", "gzip"));
        var id = (await Problems.Json(produced, HttpStatusCode.Created)).GetProperty("results")[0].GetProperty("id").GetString();

        using var raw = await fixture.Silo.Http.GetAsync($"/v1/topics/probe/gz/messages/by-id/{id}?raw=true");
        Assert.Equal(HttpStatusCode.OK, raw.StatusCode);
        Assert.Equal("""{"hello":"world"}""", await raw.Content.ReadAsStringAsync());
        Assert.Empty(raw.Content.Headers.ContentEncoding);

        var read = await Problems.Json(await fixture.Silo.Http.GetAsync("/v1/topics/probe/gz/partitions/0/messages?from=0"));
        Assert.Equal("world", read.GetProperty("messages")[0].GetProperty("data").GetProperty("hello").GetString());
    }

    [Fact]
    public async Task DataFiles_GrainState_AndTheirDirectories_AreTheOwnersOnly()
    {
        // Grain state and a signed head too, besides the segments and side files the fixture's appends made.
        using var commit = await fixture.Silo.Http.PostAsync("/v1/topics/probe/t/groups/modes/commit", Json("""{"partition":0,"offset":1}"""));
        Assert.Equal(HttpStatusCode.OK, commit.StatusCode);
        using var head = await fixture.Silo.Http.GetAsync("/v1/topics/probe/t/partitions/0/head");
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);

        var root = new DirectoryInfo(fixture.Silo.DataDirectory);
        var files = root.EnumerateFiles("*", SearchOption.AllDirectories).ToList();
        Assert.Contains(files, f => f.Extension == ".log");
        Assert.Contains(files, f => f.Extension == ".state");
        Assert.Contains(files, f => f.Name.EndsWith(".pem", StringComparison.Ordinal));
        Assert.All(files, f => Assert.True(f.UnixFileMode == (UnixFileMode.UserRead | UnixFileMode.UserWrite), $"{f.FullName} is {f.UnixFileMode}"));
        Assert.All(root.EnumerateDirectories("*", SearchOption.AllDirectories).Append(root), d =>
            Assert.True(d.UnixFileMode == (UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute), $"{d.FullName} is {d.UnixFileMode}"));
    }

    /// <summary>The next offset of each partition of the probe topic.</summary>
    private async Task<string> EndsAsync()
    {
        var topic = await Problems.Json(await fixture.Silo.Http.GetAsync("/v1/topics/probe/t"));
        return string.Join(",", topic.GetProperty("partitions").EnumerateArray().Select(p => p.GetProperty("nextOffset").GetInt64()));
    }
}
