using System.Net;
using System.Text;
using System.Text.Json;

namespace Efflux.Service.Tests;

/// <summary>Live queries through REST and the SDK against an in-process silo (the Efflux stream provider included).</summary>
public sealed class QueryTests() : SiloWithClient("--Efflux:QueryIdleTimeout=00:00:00.3")
{
    private HttpClient Http => Silo.Http;

    private const string Counts = "SELECT sensor, COUNT(*) AS n, AVG(temp) AS mean FROM readings WINDOW TUMBLING(1 sec) GROUP BY sensor INSERT INTO per_second;";

    private async Task ReadingsAsync(string ns, int count)
    {
        await Http.PutAsync($"/v1/topics/{ns}/readings", new StringContent("""{"partitions":2}""", Encoding.UTF8, "application/json"));
        var messages = string.Join(",", Enumerable.Range(0, count).Select(i =>
            $$$"""{"timestamp":"{{{new DateTimeOffset(2026, 5, 1, 0, 0, 0, TimeSpan.Zero).AddMilliseconds(i * 100):O}}}","messageGroup":"g{{{i % 2}}}","data":{"sensor":"s{{{i % 3}}}","temp":{{{20 + (i % 7)}}}}}"""));
        await Problems.Json(await Http.PostAsync($"/v1/topics/{ns}/readings/messages", new StringContent($$"""{"messages":[{{messages}}]}""", Encoding.UTF8, "application/json")), HttpStatusCode.Created);
    }

    private async Task<List<JsonElement>> RowsAsync(string ns, string topic, int atLeast)
        => await Eventually.Succeeds(async () =>
        {
            var page = await Problems.Json(await Http.GetAsync($"/v1/topics/{ns}/{topic}/partitions/0/messages?max=1000"));
            var rows = page.GetProperty("messages").EnumerateArray().ToList();
            Assert.True(rows.Count >= atLeast, $"{rows.Count} rows of {atLeast} so far");
            return rows;
        }, TimeSpan.FromSeconds(30));

    [Fact]
    public async Task AQueryCreatedOverRest_WritesRowsToItsOutputTopic_AndIsListedStoppedStartedAndDeleted()
    {
        await ReadingsAsync("plant", 50);
        var created = await Problems.Json(await Http.PutAsync("/v1/queries/plant/climate", new StringContent(Counts, Encoding.UTF8, "text/plain")), HttpStatusCode.Created);
        Assert.Equal("running", created.GetProperty("status").GetString());
        Assert.Equal(["per_second"], created.GetProperty("outputs").EnumerateArray().Select(o => o.GetString()));
        Assert.Equal(Counts, created.GetProperty("text").GetString());

        // 50 readings at 100 ms: seconds 0 to 3 close (second 4 waits for a later event), three sensors each.
        var rows = await RowsAsync("plant", "per_second", 12);
        var first = rows[0];
        Assert.Equal("per_second", first.GetProperty("dataType").GetString());
        Assert.Equal("2026-05-01T00:00:01+00:00", first.GetProperty("timestamp").GetString());
        Assert.Equal("plant/climate", first.GetProperty("properties").GetProperty("efflux.query").GetString());
        Assert.Equal("readings", first.GetProperty("properties").GetProperty("efflux.source.topic").GetString());
        Assert.Equal(12, rows.Count);
        var data = rows.Select(r => r.GetProperty("data")).Where(d => d.GetProperty("sensor").GetString() == "s0").ToList();
        Assert.Equal([4, 3, 3, 4], data.Select(d => d.GetProperty("n").GetInt32()));

        // The last reading is taken once the other partition is idle (0.3 s) and read to its end.
        var described = await Eventually.Succeeds(async () =>
        {
            var now = await Problems.Json(await Http.GetAsync("/v1/queries/plant/climate"));
            Assert.Equal(50, now.GetProperty("eventsIn").GetInt64());
            return now;
        });
        Assert.Equal(12, described.GetProperty("rowsOut").GetInt64());
        var sources = described.GetProperty("sources").EnumerateArray().ToList();
        Assert.Equal(2, sources.Count);
        Assert.All(sources, s => Assert.Equal(25, s.GetProperty("endOffset").GetInt64()));

        var list = await Problems.Json(await Http.GetAsync("/v1/queries/plant"));
        Assert.Equal(["climate"], list.GetProperty("queries").EnumerateArray().Select(q => q.GetProperty("name").GetString()));

        // Same text again: 200, unchanged. Another text: 409.
        await Problems.Json(await Http.PutAsync("/v1/queries/plant/climate", new StringContent(Counts, Encoding.UTF8, "text/plain")));
        await Problems.AssertProblem(await Http.PutAsync("/v1/queries/plant/climate", new StringContent("SELECT * FROM readings", Encoding.UTF8, "text/plain")), HttpStatusCode.Conflict);

        Assert.Equal("stopped", (await Problems.Json(await Http.PostAsync("/v1/queries/plant/climate/stop", null))).GetProperty("status").GetString());
        Assert.Equal("running", (await Problems.Json(await Http.PostAsync("/v1/queries/plant/climate/start", null))).GetProperty("status").GetString());

        Assert.Equal(HttpStatusCode.NoContent, (await Http.DeleteAsync("/v1/queries/plant/climate")).StatusCode);
        await Problems.AssertProblem(await Http.GetAsync("/v1/queries/plant/climate"), HttpStatusCode.NotFound);
        Assert.Empty((await Problems.Json(await Http.GetAsync("/v1/queries/plant"))).GetProperty("queries").EnumerateArray());
        await Problems.Json(await Http.GetAsync("/v1/topics/plant/per_second"));
    }

    [Fact]
    public async Task ABadQuery_IsA400WithLineAndColumn_AMissingTopicA404_AndABadStartA400()
    {
        await ReadingsAsync("bad", 1);
        var response = await Http.PutAsync("/v1/queries/bad/q", new StringContent("SELECT sensor\nFROM readings WINDOW TUMBLING(1 parsec)", Encoding.UTF8, "text/plain"));
        await Problems.AssertProblem(response, HttpStatusCode.BadRequest);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(2, problem.GetProperty("line").GetInt32());
        Assert.True(problem.GetProperty("column").GetInt32() > 20);

        var missing = await Problems.AssertProblem(await Http.PutAsync("/v1/queries/bad/q", new StringContent("SELECT * FROM nowhere", Encoding.UTF8, "text/plain")), HttpStatusCode.NotFound);
        Assert.Contains("nowhere", missing, StringComparison.Ordinal);
        await Problems.AssertProblem(await Http.PutAsync("/v1/queries/bad/q", new StringContent("""{"query":"SELECT * FROM readings","start":"yesterday"}""", Encoding.UTF8, "application/json")), HttpStatusCode.BadRequest);
        await Problems.AssertProblem(await Http.PutAsync("/v1/queries/bad/q", new StringContent("""{"query":"SELECT * FROM readings","from":"earliest"}""", Encoding.UTF8, "application/json")), HttpStatusCode.BadRequest);
        await Problems.AssertProblem(await Http.PutAsync("/v1/queries/bad/q%21", new StringContent("SELECT * FROM readings", Encoding.UTF8, "text/plain")), HttpStatusCode.BadRequest);
        Assert.Empty((await Problems.Json(await Http.GetAsync("/v1/queries/bad"))).GetProperty("queries").EnumerateArray());
    }

    [Fact]
    public async Task AQueryWhoseOutputTopicIsDeleted_Fails_AndSaysWhy()
    {
        await ReadingsAsync("gone", 30);
        await Problems.Json(await Http.PutAsync("/v1/queries/gone/copy", new StringContent("SELECT sensor, temp FROM readings INSERT INTO copy;", Encoding.UTF8, "text/plain")), HttpStatusCode.Created);
        await RowsAsync("gone", "copy", 30);
        Assert.Equal(HttpStatusCode.NoContent, (await Http.DeleteAsync("/v1/topics/gone/copy")).StatusCode);

        await Problems.Json(await Http.PostAsync("/v1/topics/gone/readings/messages", new StringContent("""{"messages":[{"timestamp":"2026-05-01T01:00:00Z","data":{"sensor":"late","temp":1}}]}""", Encoding.UTF8, "application/json")), HttpStatusCode.Created);
        var failed = await Eventually.Succeeds(async () =>
        {
            var now = await Problems.Json(await Http.GetAsync("/v1/queries/gone/copy"));
            Assert.Equal("failed", now.GetProperty("status").GetString());
            return now;
        });
        Assert.Contains("copy", failed.GetProperty("lastError").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NoContent, (await Http.DeleteAsync("/v1/queries/gone/copy")).StatusCode);
    }

    [Fact]
    public async Task AQueryStartingAtTheEnd_SeesOnlyLaterRecords()
    {
        await ReadingsAsync("late", 30);
        var created = await Problems.Json(await Http.PutAsync("/v1/queries/late/all", new StringContent("""{"query":"SELECT sensor, temp FROM readings INSERT INTO copy;","start":"latest"}""", Encoding.UTF8, "application/json")), HttpStatusCode.Created);
        Assert.All(created.GetProperty("sources").EnumerateArray(), s => Assert.Equal(15, s.GetProperty("position").GetInt64()));
        await Problems.Json(await Http.PostAsync("/v1/topics/late/readings/messages", new StringContent("""{"messages":[{"timestamp":"2026-05-01T01:00:00Z","data":{"sensor":"new","temp":1}}]}""", Encoding.UTF8, "application/json")), HttpStatusCode.Created);
        // Done when every source is read to its end and the output holds the rows the query counts as written.
        var rows = await Eventually.Succeeds(async () =>
        {
            var query = await Problems.Json(await Http.GetAsync("/v1/queries/late/all"));
            Assert.All(query.GetProperty("sources").EnumerateArray(), s => Assert.Equal(0, s.GetProperty("lag").GetInt64()));
            var written = await RowsAsync("late", "copy", 1);
            Assert.Equal(query.GetProperty("rowsOut").GetInt64(), written.Count);
            return written;
        });
        Assert.Equal("""{"sensor":"new","temp":1}""", Assert.Single(rows).GetProperty("data").GetRawText());
    }

    [Fact]
    public async Task TheSdk_CreatesListsDescribesAndDeletesQueries_WithTypedErrors()
    {
        await ReadingsAsync("sdk", 20);
        var info = await Client.Queries.CreateAsync("sdk", "counts", Counts);
        Assert.Equal("running", info.Status);
        Assert.Equal(["sensor"], info.ShardKeys);
        Assert.Equal(["counts"], (await Client.Queries.ListAsync("sdk")).Select(q => q.Name));
        await Eventually.Succeeds(async () =>
        {
            var now = await Client.Queries.GetAsync("sdk", "counts");
            Assert.Equal(20, now.EventsIn);
            return now;
        }, TimeSpan.FromSeconds(30));

        var bad = await Assert.ThrowsAsync<EffluxException>(() => Client.Queries.CreateAsync("sdk", "bad", "SELECT FROM"));
        Assert.Equal(EffluxError.InvalidRequest, bad.Error);
        Assert.Contains("line 1", bad.Message, StringComparison.Ordinal);
        var missing = await Assert.ThrowsAsync<EffluxException>(() => Client.Queries.CreateAsync("sdk", "bad", "SELECT * FROM absent"));
        Assert.Equal(EffluxError.TopicNotFound, missing.Error);

        await Client.Queries.DeleteAsync("sdk", "counts");
        var gone = await Assert.ThrowsAsync<EffluxException>(() => Client.Queries.GetAsync("sdk", "counts"));
        Assert.Equal(EffluxError.NotFound, gone.Error);
    }
}
