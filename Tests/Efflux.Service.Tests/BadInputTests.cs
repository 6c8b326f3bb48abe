using System.Net;
using System.Text;

namespace Efflux.Service.Tests;

/// <summary>
/// One silo with a topic <c>bad/t</c> (two partitions, one message in partition 0) that every bad-input row is sent
/// to; the segment files are measured once, before any row, and every row must leave them as they were.
/// </summary>
public sealed class BadInputSilo : IAsyncLifetime
{
    public InProcessSilo Silo { get; private set; } = null!;

    public IReadOnlyDictionary<string, long> LogsBefore { get; private set; } = new Dictionary<string, long>();

    public async Task InitializeAsync()
    {
        Silo = await InProcessSilo.StartAsync("--Efflux:MaxRequestBytes=65536", "--Efflux:MaxMessageBytes=4096");
        using var create = await Silo.Http.PutAsync("/v1/topics/bad/t", new StringContent("""{"partitions":2}""", Encoding.UTF8, "application/json"));
        using var produce = await Silo.Http.PostAsync("/v1/topics/bad/t/messages?partition=0", new StringContent("""{"messages":[{"data":0}]}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Created, produce.StatusCode);

        // Partitions open when first used, creating their (empty) first segment: open both before measuring.
        await Problems.Json(await Silo.Http.GetAsync("/v1/topics/bad/t"));
        LogsBefore = Logs();
    }

    public Dictionary<string, long> Logs()
        => Directory.GetFiles(Silo.DataDirectory, "*.log", SearchOption.AllDirectories).ToDictionary(f => f, f => new FileInfo(f).Length);

    public async Task DisposeAsync() => await Silo.DisposeAsync();
}

/// <summary>Bad input, one row per request: a 4xx problem document with a detail, never a 5xx, and nothing written.</summary>
public sealed class BadInputTests(BadInputSilo fixture) : IClassFixture<BadInputSilo>
{
    private const string Json = "application/json";
    private const string Text = "text/plain";

    public static TheoryData<string, string, string?, string?, string?, int> Rows => new()
    {
        { "POST", "/v1/topics/bad/t/messages", Json, """{"messages":[{"data":""", null, 400 },
        { "POST", "/v1/topics/bad/t/messages", Json, """{"messages":[{"nodata":1}]}""", null, 400 },
        { "POST", "/v1/topics/bad/t/messages", Json, """{"messages":[{"data":1,"properties":{"a":1}}]}""", null, 400 },
        { "POST", "/v1/topics/bad/t/messages", Json, """{"messages":[{"dataBase64":"***"}]}""", null, 400 },
        { "POST", "/v1/topics/bad/t/messages", Json, """{"messages":[{"data":1,"timestamp":"yesterday"}]}""", null, 400 },
        { "POST", "/v1/topics/bad/t/messages", Json, "[1,2]", null, 400 },
        { "POST", "/v1/topics/bad/t/messages", Json, """{"messages":[]}""", null, 400 },
        { "POST", "/v1/topics/bad/t/messages?acks=maybe", Json, """{"messages":[{"data":1}]}""", null, 400 },
        { "POST", "/v1/topics/bad/t/messages?partition=9", Json, """{"messages":[{"data":1}]}""", null, 404 },
        { "POST", "/v1/topics/bad/t/messages", Json, "oversize payload (70,000 bytes)", null, 413 },
        { "POST", "/v1/topics/bad/t/messages", Text, "oversize raw body (5,000 bytes)", null, 413 },
        { "POST", "/v1/topics/bad/t/messages", Json, """{"messages":[{"data":1}]}""", "Efflux-Expected-Offset: soon", 400 },
        { "POST", "/v1/topics/b%2F..%2F..%2Fescape/t/messages", Json, """{"messages":[{"data":1}]}""", null, 400 },
        { "POST", "/v1/topics/bad/..%2F..%2F..%2Ftmp/messages", Json, """{"messages":[{"data":1}]}""", null, 400 },
        { "POST", "/v1/topics/bad/" + new string('n', 129) + "/messages", Json, """{"messages":[{"data":1}]}""", null, 400 },
        { "POST", "/v1/topics/bad/t/messages", "application/cloudevents+json", """{"specversion":"1.0","id":"x","source":"/s","type":"t","time":"yesterday"}""", null, 400 },
        { "POST", "/v1/topics/bad/t/messages", "application/cloudevents+json", """{"specversion":"1.0","id":"x","source":"/s","type":"t","Bad-Name":"v"}""", null, 400 },
        { "POST", "/v1/topics/bad/t/messages", "application/cloudevents-batch+json", """[{"specversion":"1.0","id":"a","source":"/s","type":"t"},{"specversion":"1.0","id":"b","type":"t"}]""", null, 400 },
        { "POST", "/v1/topics/bad/t/messages", "application/cloudevents-batch+json", """{"specversion":"1.0","id":"a","source":"/s","type":"t"}""", null, 400 },
        { "PUT", "/v1/topics/bad/..", Json, "{}", null, 404 }, // the URL resolves to /v1/topics/: no route
        { "PUT", "/v1/topics/bad/new", Json, """{"partitions":0}""", null, 400 },
        { "PUT", "/v1/topics/bad/new", Json, """{"partitions":5000}""", null, 400 },
        { "PUT", "/v1/topics/bad/new", Json, """{"shards":2}""", null, 400 },
        { "PUT", "/v1/topics/bad/new", Json, """{"retention":"forever"}""", null, 400 },
        { "GET", "/v1/topics/bad/t/partitions/7/messages", null, null, null, 404 },
        { "GET", "/v1/topics/bad/t/partitions/x/messages", null, null, null, 404 },
        { "GET", "/v1/topics/bad/t/partitions/0/messages?from=99", null, null, null, 416 },
        { "GET", "/v1/topics/bad/t/partitions/0/messages?max=0", null, null, null, 400 },
        { "GET", "/v1/topics/bad/t/partitions/0/messages?wait=1y", null, null, null, 400 },
        { "GET", "/v1/topics/bad/t/partitions/0/messages?wait=10m", null, null, null, 400 },
        { "GET", "/v1/topics/bad/t/partitions/0/messages/5", null, null, null, 404 },
        { "GET", "/v1/topics/bad/t/partitions/0/offsets", null, null, null, 400 },
        { "GET", "/v1/topics/bad/t/search?from=notatime", null, null, null, 400 },
        { "GET", "/v1/topics/bad/missing", null, null, null, 404 },
        { "GET", "/v1/topics/bad/missing/partitions/0/messages", null, null, null, 404 },
        { "GET", "/v1/topics/bad/missing/groups", null, null, null, 404 },
        { "POST", "/v1/topics/bad/t/partitions/0/verify-checkpoint", Text, "{}", null, 400 },
        { "POST", "/v1/topics/bad/t/groups/g/commit", Json, """{"partition":0}""", null, 400 },
        { "POST", "/v1/topics/bad/t/groups/g/commit", Json, """{"partition":0,"offset":50}""", null, 416 },
        { "POST", "/v1/topics/bad/t/groups/g/commit", Json, """{"partition":8,"offset":0}""", null, 404 },
        { "GET", "/v1/topics/bad/t/groups/g%20g", null, null, null, 400 },
    };

    [Theory]
    [MemberData(nameof(Rows))]
    public async Task BadInput_Is4xxProblemDetails_NeverA5xx_AndWritesNothing(string method, string path, string? contentType, string? body, string? header, int status)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (contentType is not null)
        {
            request.Content = new StringContent(Body(body ?? ""), Encoding.UTF8, contentType);
        }

        if (header?.Split(": ", 2) is [var name, var value])
        {
            request.Content!.Headers.TryAddWithoutValidation(name, value);
        }

        using var response = await fixture.Silo.Http.SendAsync(request);
        var detail = await Problems.AssertProblem(response, (HttpStatusCode)status, $"{method} {path}");
        Assert.False(string.IsNullOrWhiteSpace(detail), $"{method} {path}: no detail");

        Assert.Equal(fixture.LogsBefore, fixture.Logs());
        Assert.False(Directory.Exists(Path.Combine(Path.GetDirectoryName(fixture.Silo.DataDirectory)!, "escape")));
        Assert.False(Directory.Exists(Path.Combine(fixture.Silo.DataDirectory, "bad", "new")));
        var topic = await Problems.Json(await fixture.Silo.Http.GetAsync("/v1/topics/bad/t"));
        Assert.Equal([1L, 0L], topic.GetProperty("partitions").EnumerateArray().Select(p => p.GetProperty("nextOffset").GetInt64()));
    }

    // Bodies too large to show as a row are named in the row and made here.
    private static string Body(string body) => body switch
    {
        "oversize payload (70,000 bytes)" => "{\"messages\":[{\"data\":\"" + new string('x', 70_000) + "\"}]}",
        "oversize raw body (5,000 bytes)" => new string('y', 5000),
        _ => body,
    };
}
