using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;

namespace Efflux.Service.Tests;

/// <summary>Every REST route through real HTTP against an in-process silo.</summary>
public sealed class RestTests : IAsyncLifetime
{
    private InProcessSilo _silo = null!;

    private HttpClient Http => _silo.Http;

    public async Task InitializeAsync() => _silo = await InProcessSilo.StartAsync("--Efflux:MaxRequestBytes=65536", "--Efflux:MaxMessageBytes=4096");

    public async Task DisposeAsync() => await _silo.DisposeAsync();

    private static StringContent JsonBody(string json) => new(json, Encoding.UTF8, "application/json");

    /// <summary>Until the topic's partitions have <paramref name="readers"/> readers parked at their ends, all told.</summary>
    private Task WaitingAsync(string topic, int readers) => Eventually.Succeeds(async () =>
    {
        var described = await Problems.Json(await Http.GetAsync("/v1/topics/" + topic));
        Assert.Equal(readers, described.GetProperty("partitions").EnumerateArray().Sum(p => p.GetProperty("waiting").GetInt32()));
    });

    private async Task<JsonElement> Produce(string path, string json, HttpStatusCode status = HttpStatusCode.Created)
        => await Problems.Json(await Http.PostAsync(path, JsonBody(json)), status);

    [Fact]
    public async Task Topics_AreCreatedDescribedListedAndDeleted()
    {
        var created = await Problems.Json(await Http.PutAsync("/v1/topics/life/orders", JsonBody("""{"partitions":3,"retention":"7d","maxMessageBytes":2048}""")), HttpStatusCode.Created);
        Assert.Equal(3, created.GetProperty("config").GetProperty("partitions").GetInt32());
        Assert.Equal("7d", created.GetProperty("config").GetProperty("retention").GetString());

        // The same PUT again is fine; another partition count is a conflict.
        await Problems.Json(await Http.PutAsync("/v1/topics/life/orders", JsonBody("""{"partitions":3,"retention":"7d","maxMessageBytes":2048}""")));
        await Problems.AssertProblem(await Http.PutAsync("/v1/topics/life/orders", JsonBody("""{"partitions":4}""")), HttpStatusCode.Conflict);
        await Problems.Json(await Http.PutAsync("/v1/topics/life/audit", null), HttpStatusCode.Created);

        var topic = await Problems.Json(await Http.GetAsync("/v1/topics/life/orders"));
        var partitions = topic.GetProperty("partitions").EnumerateArray().ToList();
        Assert.Equal([0, 1, 2], partitions.Select(p => p.GetProperty("partition").GetInt32()));
        Assert.All(partitions, p => Assert.Equal(0, p.GetProperty("nextOffset").GetInt64()));
        Assert.All(partitions, p => Assert.Equal(44, p.GetProperty("headFingerprint").GetString()!.Length));

        var list = await Problems.Json(await Http.GetAsync("/v1/topics/life"));
        Assert.Equal(["audit", "orders"], list.GetProperty("topics").EnumerateArray().Select(t => t.GetString()));

        await Produce("/v1/topics/life/orders/messages", """{"messages":[{"data":1},{"data":2}]}""");
        Assert.Equal(HttpStatusCode.NoContent, (await Http.DeleteAsync("/v1/topics/life/orders")).StatusCode);
        await Problems.AssertProblem(await Http.GetAsync("/v1/topics/life/orders"), HttpStatusCode.NotFound);
        Assert.False(Directory.Exists(Path.Combine(_silo.DataDirectory, "life", "orders")), "the deleted topic's files are still there");
        Assert.Equal(["audit"], (await Problems.Json(await Http.GetAsync("/v1/topics/life"))).GetProperty("topics").EnumerateArray().Select(t => t.GetString()));
    }

    [Fact]
    public async Task JsonBatch_IsAppendedInOrder_IdempotentById_AndReadBack()
    {
        await Http.PutAsync("/v1/topics/shop/orders", JsonBody("""{"partitions":1}"""));
        var first = await Produce("/v1/topics/shop/orders/messages", """
            {"messages":[
              {"id":"o-1","timestamp":"2026-01-02T03:04:05Z","dataType":"OrderPlaced","messageGroup":"c-7","properties":{"region":"eu"},"data":{"sku":42,"qty":[1,2]}},
              {"id":"o-2","dataBase64":"AAEC/w==","contentType":"application/octet-stream"}
            ]}
            """);
        var results = first.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal([0L, 1L], results.Select(r => r.GetProperty("offset").GetInt64()));
        Assert.Equal(["o-1", "o-2"], results.Select(r => r.GetProperty("id").GetString()));

        // A repeated id appends nothing and returns the original offset.
        var again = await Produce("/v1/topics/shop/orders/messages", """{"messages":[{"id":"o-1","data":{"sku":1}}]}""");
        Assert.Equal(0, again.GetProperty("results")[0].GetProperty("offset").GetInt64());
        Assert.True(again.GetProperty("results")[0].GetProperty("duplicate").GetBoolean());

        var read = await Problems.Json(await Http.GetAsync("/v1/topics/shop/orders/partitions/0/messages?from=0&max=10"));
        var messages = read.GetProperty("messages").EnumerateArray().ToList();
        Assert.Equal(2, messages.Count);
        Assert.Equal("""{"sku":42,"qty":[1,2]}""", messages[0].GetProperty("data").GetRawText());
        Assert.Equal("OrderPlaced", messages[0].GetProperty("dataType").GetString());
        Assert.Equal("c-7", messages[0].GetProperty("messageGroup").GetString());
        Assert.Equal("eu", messages[0].GetProperty("properties").GetProperty("region").GetString());
        Assert.Equal(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero), messages[0].GetProperty("timestamp").GetDateTimeOffset());
        Assert.Equal("AAEC/w==", messages[1].GetProperty("dataBase64").GetString());
        Assert.Equal(messages[0].GetProperty("fingerprint").GetString(), messages[1].GetProperty("linkedFingerprint").GetString());
        Assert.Equal(2, read.GetProperty("partitions")[0].GetProperty("nextOffset").GetInt64());
    }

    [Fact]
    public async Task ExpectedOffset_Mismatch_Is412_AndAppendsNothing()
    {
        await Produce("/v1/topics/occ/ledger/messages", """{"messages":[{"data":"a"}]}""");
        using var stale = new HttpRequestMessage(HttpMethod.Post, "/v1/topics/occ/ledger/messages?partition=0") { Content = JsonBody("""{"messages":[{"data":"b"}]}""") };
        stale.Headers.Add("Efflux-Expected-Offset", "0");
        await Problems.AssertProblem(await Http.SendAsync(stale), HttpStatusCode.PreconditionFailed);

        using var current = new HttpRequestMessage(HttpMethod.Post, "/v1/topics/occ/ledger/messages?partition=0") { Content = JsonBody("""{"messages":[{"data":"c"}]}""") };
        current.Headers.Add("Efflux-Expected-Offset", "1");
        var ok = await Problems.Json(await Http.SendAsync(current), HttpStatusCode.Created);
        Assert.Equal(1, ok.GetProperty("results")[0].GetProperty("offset").GetInt64());
        var all = await Problems.Json(await Http.GetAsync("/v1/topics/occ/ledger/partitions/0/messages"));
        Assert.Equal(["\"a\"", "\"c\""], all.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("data").GetRawText()));
    }

    [Fact]
    public async Task RawBody_WithMetadataHeaders_RoundTripsThroughRawFetch()
    {
        var payload = new byte[] { 0, 1, 2, 254, 255 };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/topics/raw/bin/messages?acks=leader") { Content = new ByteArrayContent(payload) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-thing");
        request.Headers.Add("Efflux-Id", "raw-1");
        request.Headers.Add("Efflux-Data-Type", "Thing");
        request.Headers.Add("Efflux-Message-Group", "g");
        request.Headers.Add("Efflux-Timestamp", "2025-05-05T05:05:05Z");
        request.Headers.Add("Efflux-Property-color", "red");
        var produced = await Problems.Json(await Http.SendAsync(request), HttpStatusCode.Created);
        var offset = produced.GetProperty("results")[0].GetProperty("offset").GetInt64();

        using var raw = await Http.GetAsync($"/v1/topics/raw/bin/partitions/0/messages/{offset}?raw=true");
        Assert.Equal(HttpStatusCode.OK, raw.StatusCode);
        Assert.Equal(payload, await raw.Content.ReadAsByteArrayAsync());
        Assert.Equal("application/x-thing", raw.Content.Headers.ContentType?.MediaType);
        Assert.Equal("raw-1", raw.Headers.GetValues("Efflux-Id").Single());
        Assert.Equal("Thing", raw.Headers.GetValues("Efflux-Data-Type").Single());
        Assert.Equal("red", raw.Headers.GetValues("Efflux-Property-color").Single());

        var byId = await Problems.Json(await Http.GetAsync("/v1/topics/raw/bin/messages/by-id/raw-1"));
        Assert.Equal(offset, byId.GetProperty("offset").GetInt64());
        Assert.Equal(Convert.ToBase64String(payload), byId.GetProperty("dataBase64").GetString());
        await Problems.AssertProblem(await Http.GetAsync("/v1/topics/raw/bin/messages/by-id/nope"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task CloudEvents_BinaryStructuredAndBatch_AreStored_AndReadBackAsCloudEvents()
    {
        using var binary = new HttpRequestMessage(HttpMethod.Post, "/v1/topics/ce/events/messages") { Content = JsonBody("""{"n":1}""") };
        binary.Headers.Add("ce-specversion", "1.0");
        binary.Headers.Add("ce-id", "evt-1");
        binary.Headers.Add("ce-type", "com.example.created");
        binary.Headers.Add("ce-source", "/orders");
        binary.Headers.Add("ce-subject", "order-9");
        binary.Headers.Add("ce-time", "2024-02-03T04:05:06Z");
        binary.Headers.Add("ce-traceparent", "00-abc-def-01");
        await Problems.Json(await Http.SendAsync(binary), HttpStatusCode.Created);

        using var structured = new StringContent("""{"specversion":"1.0","id":"evt-2","source":"/orders","type":"com.example.paid","data":{"n":2}}""", Encoding.UTF8);
        structured.Headers.ContentType = new MediaTypeHeaderValue("application/cloudevents+json");
        await Problems.Json(await Http.PostAsync("/v1/topics/ce/events/messages", structured), HttpStatusCode.Created);

        using var batch = new StringContent("""[{"specversion":"1.0","id":"evt-3","source":"/s","type":"t","data_base64":"AAE="},{"specversion":"1.0","id":"evt-4","source":"/s","type":"t","datacontenttype":"text/plain","data":"hi"}]""", Encoding.UTF8);
        batch.Headers.ContentType = new MediaTypeHeaderValue("application/cloudevents-batch+json");
        var produced = await Problems.Json(await Http.PostAsync("/v1/topics/ce/events/messages", batch), HttpStatusCode.Created);
        Assert.Equal(2, produced.GetProperty("results").GetArrayLength());

        var first = await Problems.Json(await Http.GetAsync("/v1/topics/ce/events/messages/by-id/evt-1"));
        Assert.Equal("com.example.created", first.GetProperty("dataType").GetString());
        Assert.Equal("/orders", first.GetProperty("properties").GetProperty("ce-source").GetString());
        Assert.Equal(new DateTimeOffset(2024, 2, 3, 4, 5, 6, TimeSpan.Zero), first.GetProperty("timestamp").GetDateTimeOffset());

        using var asEvent = await Http.GetAsync("/v1/topics/ce/events/messages/by-id/evt-1?format=cloudevent");
        Assert.Equal("application/cloudevents+json", asEvent.Content.Headers.ContentType?.MediaType);
        var ce = JsonDocument.Parse(await asEvent.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("1.0", ce.GetProperty("specversion").GetString());
        Assert.Equal("evt-1", ce.GetProperty("id").GetString());
        Assert.Equal("/orders", ce.GetProperty("source").GetString());
        Assert.Equal("order-9", ce.GetProperty("subject").GetString());
        Assert.Equal("00-abc-def-01", ce.GetProperty("traceparent").GetString());
        Assert.Equal("""{"n":1}""", ce.GetProperty("data").GetRawText());

        var text = JsonDocument.Parse(await Http.GetStringAsync("/v1/topics/ce/events/messages/by-id/evt-4?format=cloudevent")).RootElement;
        Assert.Equal(Convert.ToBase64String("hi"u8.ToArray()), text.GetProperty("data_base64").GetString());

        // A CloudEvent without its required attributes is refused.
        using var missing = new StringContent("""{"specversion":"1.0","id":"x","data":1}""", Encoding.UTF8);
        missing.Headers.ContentType = new MediaTypeHeaderValue("application/cloudevents+json");
        await Problems.AssertProblem(await Http.PostAsync("/v1/topics/ce/events/messages", missing), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task LongPoll_WaitsForTheNextMessage_OrForTheWholeWait()
    {
        await Produce("/v1/topics/lp/t/messages", """{"messages":[{"data":0}]}""");
        var clock = Stopwatch.StartNew();
        var empty = await Problems.Json(await Http.GetAsync("/v1/topics/lp/t/partitions/0/messages?from=1&wait=700ms"));
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(650), $"returned after {clock.Elapsed}");
        Assert.Equal(0, empty.GetProperty("messages").GetArrayLength());

        clock.Restart();
        var poll = Http.GetAsync("/v1/topics/lp/t/partitions/0/messages?from=1&wait=15s");
        await WaitingAsync("lp/t", 1);
        Assert.False(poll.IsCompleted, "the long poll returned before anything was appended");
        await Produce("/v1/topics/lp/t/messages", """{"messages":[{"data":1}]}""");
        var got = await Problems.Json(await poll);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"the long poll took {clock.Elapsed}");
        Assert.Equal("1", got.GetProperty("messages")[0].GetProperty("data").GetRawText());
    }

    [Fact]
    public async Task ServerSentEvents_FollowTheTail_AndResumeAfterLastEventId()
    {
        await Produce("/v1/topics/sse/t/messages", """{"messages":[{"data":0},{"data":1}]}""");
        using (var first = await Http.GetAsync("/v1/topics/sse/t/partitions/0/stream?from=0", HttpCompletionOption.ResponseHeadersRead))
        {
            Assert.Equal("text/event-stream", first.Content.Headers.ContentType?.MediaType);
            using var reader = new StreamReader(await first.Content.ReadAsStreamAsync());
            var events = await ReadEvents(reader, 2);
            Assert.Equal([0L, 1L], events.Select(e => e.Id));

            // A message appended while the stream is open arrives on it.
            await Produce("/v1/topics/sse/t/messages", """{"messages":[{"data":2}]}""");
            var live = await ReadEvents(reader, 1);
            Assert.Equal(2, live[0].Id);
            Assert.Equal("2", live[0].Data.GetProperty("data").GetRawText());
        }

        await Produce("/v1/topics/sse/t/messages", """{"messages":[{"data":3}]}""");
        using var resume = new HttpRequestMessage(HttpMethod.Get, "/v1/topics/sse/t/partitions/0/stream");
        resume.Headers.Add("Last-Event-ID", "2");
        using var resumed = await Http.SendAsync(resume, HttpCompletionOption.ResponseHeadersRead);
        using var again = new StreamReader(await resumed.Content.ReadAsStreamAsync());
        Assert.Equal(3, (await ReadEvents(again, 1))[0].Id);
    }

    private static async Task<List<(long Id, JsonElement Data)>> ReadEvents(StreamReader reader, int count)
    {
        var events = new List<(long, JsonElement)>();
        long id = -1;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (events.Count < count)
        {
            var line = await reader.ReadLineAsync(timeout.Token) ?? throw new EndOfStreamException();
            if (line.StartsWith("id: ", StringComparison.Ordinal))
            {
                id = long.Parse(line[4..], System.Globalization.CultureInfo.InvariantCulture);
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                events.Add((id, JsonDocument.Parse(line[6..]).RootElement.Clone()));
            }
        }

        return events;
    }

    [Fact]
    public async Task Search_OffsetForTime_AndIntegrityRoutes()
    {
        await Produce("/v1/topics/find/t/messages", """
            {"messages":[
              {"timestamp":"2026-01-01T00:00:00Z","dataType":"A","properties":{"k":"1"},"data":1},
              {"timestamp":"2026-01-02T00:00:00Z","dataType":"B","properties":{"k":"2"},"data":2},
              {"timestamp":"2026-01-03T00:00:00Z","dataType":"A","properties":{"k":"2"},"data":3}
            ]}
            """);
        var byType = await Problems.Json(await Http.GetAsync("/v1/topics/find/t/search?dataType=A"));
        Assert.Equal(["1", "3"], byType.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("data").GetRawText()));
        var byProperty = await Problems.Json(await Http.GetAsync("/v1/topics/find/t/search?property.k=2&from=2026-01-02T12:00:00Z"));
        Assert.Equal(["3"], byProperty.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("data").GetRawText()));
        var at = await Problems.Json(await Http.GetAsync("/v1/topics/find/t/partitions/0/offsets?time=2026-01-01T12:00:00Z"));
        Assert.Equal(1, at.GetProperty("offset").GetInt64());

        var verify = await Problems.Json(await Http.GetAsync("/v1/topics/find/t/partitions/0/verify"));
        Assert.True(verify.GetProperty("ok").GetBoolean());
        Assert.Equal(3, verify.GetProperty("records").GetInt64());
        var head = await Http.GetStringAsync("/v1/topics/find/t/partitions/0/head");
        Assert.Equal(2, JsonDocument.Parse(head).RootElement.GetProperty("offset").GetInt64());
        var checkedAgainst = await Problems.Json(await Http.PostAsync("/v1/topics/find/t/partitions/0/verify-checkpoint", new StringContent(head)));
        Assert.True(checkedAgainst.GetProperty("ok").GetBoolean());

        // A checkpoint of another partition, and a forged one, are refused or fail.
        await Problems.AssertProblem(await Http.PostAsync("/v1/topics/find/other/partitions/0/verify-checkpoint", new StringContent(head)), HttpStatusCode.NotFound);
        var forged = head.Replace("\"offset\": 2", "\"offset\": 1", StringComparison.Ordinal);
        var forgedResult = await Problems.Json(await Http.PostAsync("/v1/topics/find/t/partitions/0/verify-checkpoint", new StringContent(forged)));
        Assert.False(forgedResult.GetProperty("ok").GetBoolean());
    }

    [Fact]
    public async Task Verify_FindsAFlippedBitOnDisk()
    {
        await Produce("/v1/topics/tamper/t/messages", """{"messages":[{"data":"aaaa"},{"data":"bbbb"},{"data":"cccc"}]}""");
        var segment = Directory.GetFiles(Path.Combine(_silo.DataDirectory, "tamper", "t", "0"), "*.log").Single();
        var bytes = await File.ReadAllBytesAsync(segment);
        var at = Encoding.ASCII.GetString(bytes).IndexOf("bbbb", StringComparison.Ordinal);
        using (var file = new FileStream(segment, FileMode.Open, FileAccess.Write, FileShare.ReadWrite))
        {
            file.Position = at;
            file.WriteByte((byte)(bytes[at] ^ 0x01));
        }

        var verify = await Problems.Json(await Http.GetAsync("/v1/topics/tamper/t/partitions/0/verify"));
        Assert.False(verify.GetProperty("ok").GetBoolean());
        Assert.Equal(1, verify.GetProperty("firstBadOffset").GetInt64());
        Assert.False(string.IsNullOrEmpty(verify.GetProperty("reason").GetString()));
    }

    [Fact]
    public async Task Appends_AreTimedFromArrivalToAcknowledgement_PerAcksMode()
    {
        // Only this silo's meter: other test classes run silos in this process at the same time.
        var meters = _silo.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>();
        var timed = new System.Collections.Concurrent.ConcurrentQueue<(string Acks, double Seconds)>();
        using var listener = new System.Diagnostics.Metrics.MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Name == "efflux.append.duration" && ReferenceEquals(instrument.Meter.Scope, meters))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<double>((_, seconds, tags, _) => timed.Enqueue(((string)tags.ToArray().Single(t => t.Key == "efflux.acks").Value!, seconds)));
        listener.Start();

        await Problems.Json(await Http.PutAsync("/v1/topics/timed/t", JsonBody("""{"partitions":1}""")), HttpStatusCode.Created);
        var clock = Stopwatch.StartNew();
        foreach (var acks in new[] { "durable", "leader", "none", "durable" })
        {
            await Produce($"/v1/topics/timed/t/messages?acks={acks}", """{"messages":[{"data":1},{"data":2}]}""");
        }

        var observed = clock.Elapsed.TotalSeconds;

        // A refused append is not an acknowledgement.
        using var stale = new HttpRequestMessage(HttpMethod.Post, "/v1/topics/timed/t/messages?acks=leader") { Content = JsonBody("""{"messages":[{"data":3}]}""") };
        stale.Headers.Add("Efflux-Expected-Offset", "0");
        await Problems.AssertProblem(await Http.SendAsync(stale), HttpStatusCode.PreconditionFailed);

        // One point per append call, in call order, each within what the client saw for all of them.
        Assert.Equal(["durable", "leader", "none", "durable"], timed.Select(t => t.Acks));
        Assert.All(timed, t => Assert.InRange(t.Seconds, 1e-7, observed));
    }

    /// <summary>The last value of the efflux.group.lag gauge for one group and partition (null when it has none).</summary>
    private static long? GroupLagGauge(string ns, string topic, string group, int partition)
    {
        long? found = null;
        using var listener = new System.Diagnostics.Metrics.MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Name == "efflux.group.lag")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            var t = tags.ToArray().ToDictionary(k => k.Key, k => k.Value);
            if (Equals(t["efflux.namespace"], ns) && Equals(t["efflux.topic"], topic) && Equals(t["efflux.group"], group) && Equals(t["efflux.partition"], partition))
            {
                found = value;
            }
        });
        listener.Start();
        listener.RecordObservableInstruments();
        return found;
    }

    [Fact]
    public async Task Namespaces_AreListedFromTheirFirstTopicToTheDeletionOfTheLast_GroupsOnceTheyCommit_AndReadsAndLagAreMeasured()
    {
        static async Task<string[]> Namespaces(HttpClient http)
            => [.. (await Problems.Json(await http.GetAsync("/v1/namespaces"))).GetProperty("namespaces").EnumerateArray().Select(n => n.GetString() ?? "")];

        Assert.DoesNotContain("nsl", await Namespaces(Http));
        await Problems.Json(await Http.PutAsync("/v1/topics/nsl/a", JsonBody("""{"partitions":2}""")), HttpStatusCode.Created);
        await Problems.Json(await Http.PutAsync("/v1/topics/nsl/b", JsonBody("{}")), HttpStatusCode.Created);
        Assert.Contains("nsl", await Namespaces(Http));

        Assert.Empty((await Problems.Json(await Http.GetAsync("/v1/topics/nsl/a/groups"))).GetProperty("groups").EnumerateArray());
        await Produce("/v1/topics/nsl/a/messages?partition=0", """{"messages":[{"data":0},{"data":1},{"data":2}]}""");
        await Problems.Json(await Http.PostAsync("/v1/topics/nsl/a/groups/zeta/commit", JsonBody("""{"partition":0,"offset":1}""")));
        await Problems.Json(await Http.PostAsync("/v1/topics/nsl/a/groups/alpha/commit", JsonBody("""{"partition":0,"offset":3}""")));
        await Problems.Json(await Http.PostAsync("/v1/topics/nsl/a/groups/zeta/commit", JsonBody("""{"partition":0,"offset":2}""")));
        var groups = (await Problems.Json(await Http.GetAsync("/v1/topics/nsl/a/groups"))).GetProperty("groups").EnumerateArray().ToList();
        Assert.Equal(["alpha", "zeta"], groups.Select(g => g.GetProperty("group").GetString()));
        Assert.Equal([0L, 1L], groups.Select(g => g.GetProperty("lag").GetInt64()));
        Assert.Equal(1, GroupLagGauge("nsl", "a", "zeta", 0));
        Assert.Equal(0, GroupLagGauge("nsl", "a", "alpha", 0));
        await Problems.AssertProblem(await Http.GetAsync("/v1/topics/nsl/missing/groups"), HttpStatusCode.NotFound);
        await Problems.AssertProblem(await Http.GetAsync("/v1/topics/nsl/bad%20name/groups"), HttpStatusCode.BadRequest);

        // Records handed to readers are counted per partition: a batch of three, then one fetch.
        await Problems.Json(await Http.GetAsync("/v1/topics/nsl/a/partitions/0/messages?from=0"));
        await Problems.Json(await Http.GetAsync("/v1/topics/nsl/a/partitions/0/messages/1"));
        var partitions = (await Problems.Json(await Http.GetAsync("/v1/topics/nsl/a"))).GetProperty("partitions").EnumerateArray().ToList();
        Assert.Equal([4L, 0L], partitions.Select(p => p.GetProperty("recordsRead").GetInt64()));

        Assert.Equal(HttpStatusCode.NoContent, (await Http.DeleteAsync("/v1/topics/nsl/a")).StatusCode);
        Assert.Contains("nsl", await Namespaces(Http));
        Assert.Equal(HttpStatusCode.NoContent, (await Http.DeleteAsync("/v1/topics/nsl/b")).StatusCode);
        Assert.DoesNotContain("nsl", await Namespaces(Http));
    }

    [Fact]
    public async Task ConsumerGroups_Commit_NeverGoBackwards_ReadFromCommitted_AndSurviveARestart()
    {
        await Http.PutAsync("/v1/topics/cg/t", JsonBody("""{"partitions":2}"""));
        await Produce("/v1/topics/cg/t/messages?partition=0", """{"messages":[{"data":0},{"data":1},{"data":2}]}""");
        await Produce("/v1/topics/cg/t/messages?partition=1", """{"messages":[{"data":10}]}""");

        var fresh = await Problems.Json(await Http.GetAsync("/v1/topics/cg/t/groups/billing"));
        Assert.Equal(4, fresh.GetProperty("lag").GetInt64());

        var committed = await Problems.Json(await Http.PostAsync("/v1/topics/cg/t/groups/billing/commit", JsonBody("""{"partition":0,"offset":2}""")));
        Assert.Equal(2, committed.GetProperty("committed").GetInt64());
        await Problems.AssertProblem(await Http.PostAsync("/v1/topics/cg/t/groups/billing/commit", JsonBody("""{"partition":0,"offset":1}""")), HttpStatusCode.Conflict);

        var read = await Problems.Json(await Http.GetAsync("/v1/topics/cg/t/groups/billing/messages?max=10"));
        Assert.Equal(["10", "2"], read.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("data").GetRawText()).Order(StringComparer.Ordinal));

        await _silo.StopAsync();
        await _silo.StartAgainAsync();
        var after = await Problems.Json(await Http.GetAsync("/v1/topics/cg/t/groups/billing"));
        var p0 = after.GetProperty("partitions").EnumerateArray().Single(p => p.GetProperty("partition").GetInt32() == 0);
        Assert.Equal(2, p0.GetProperty("committed").GetInt64());
        Assert.Equal(1, p0.GetProperty("lag").GetInt64());
        Assert.Equal(2, after.GetProperty("lag").GetInt64());
    }

    [Fact]
    public async Task GroupRead_WithWait_ReturnsAsSoonAsAnyPartitionHasRecords()
    {
        await Http.PutAsync("/v1/topics/cgw/t", JsonBody("""{"partitions":3}"""));
        var clock = Stopwatch.StartNew();
        var read = Http.GetAsync("/v1/topics/cgw/t/groups/g/messages?wait=15s");
        await WaitingAsync("cgw/t", 3);
        Assert.False(read.IsCompleted);
        await Produce("/v1/topics/cgw/t/messages?partition=2", """{"messages":[{"data":"x"}]}""");
        var got = await Problems.Json(await read);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
        Assert.Equal("\"x\"", got.GetProperty("messages")[0].GetProperty("data").GetRawText());
    }

    [Fact]
    public async Task Cluster_Health_AndOpenApi()
    {
        var cluster = await Problems.Json(await Http.GetAsync("/v1/cluster"));
        var silo = cluster.GetProperty("silos").EnumerateArray().Single();
        Assert.Equal("Active", silo.GetProperty("status").GetString());
        Assert.Equal(_silo.Gateway, silo.GetProperty("gateway").GetString());
        Assert.Equal("127.0.0.1:" + _silo.SiloPort.ToString(System.Globalization.CultureInfo.InvariantCulture), silo.GetProperty("endpoint").GetString());
        Assert.Equal(_silo.SiloName, silo.GetProperty("name").GetString());
        Assert.Equal(_silo.SiloName, cluster.GetProperty("self").GetString());
        Assert.True(silo.GetProperty("inView").GetBoolean());
        Assert.True(silo.GetProperty("grains").GetInt32() >= 1);
        Assert.Equal(HttpStatusCode.OK, (await Http.GetAsync("/health/live")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Http.GetAsync("/health/ready")).StatusCode);

        var openApi = await Problems.Json(await Http.GetAsync("/openapi/v1.json"));
        var paths = openApi.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("/v1/topics/{ns}/{topic}/messages", paths);
        Assert.Contains("/v1/topics/{ns}/{topic}/partitions/{p}/stream", paths);
        Assert.Equal(HttpStatusCode.OK, (await Http.GetAsync("/swagger/index.html")).StatusCode);

        // The Orleans dashboard, with its data from this cluster.
        using var dashboard = await Http.GetAsync("/dashboard/");
        Assert.Equal(HttpStatusCode.OK, dashboard.StatusCode);
        Assert.Contains("text/html", dashboard.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheDashboard_CanBeSwitchedOff()
    {
        await using var silo = await InProcessSilo.StartAsync("--Efflux:Dashboard:Enabled=false");
        Assert.Equal(HttpStatusCode.NotFound, (await silo.Http.GetAsync("/dashboard/")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await silo.Http.GetAsync("/health/ready")).StatusCode);
    }
}
