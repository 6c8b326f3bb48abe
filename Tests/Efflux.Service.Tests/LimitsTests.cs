using System.Net;
using System.Text;
using Efflux.Client;

namespace Efflux.Service.Tests;

/// <summary>
/// <c>Efflux:Limits</c> on a running silo: produce rates over REST (429 with Retry-After) and over the SDK (which waits
/// and tries again, and says so), namespace quotas, the cap on open long polls, and header limits.
/// </summary>
public sealed class LimitsTests
{
    [Fact]
    public async Task ProducingFasterThanTheRate_GetsA429WithRetryAfter_InThatNamespaceOnly()
    {
        await using var silo = await InProcessSilo.StartAsync("--Efflux:Limits:ProducePerSecond=0.2", "--Efflux:Limits:ProduceBurst=2");
        Assert.Equal(HttpStatusCode.Created, (await ProduceAsync(silo, "orders")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await ProduceAsync(silo, "orders")).StatusCode);
        var refused = await ProduceAsync(silo, "orders");
        var detail = await Problems.AssertProblem(refused, HttpStatusCode.TooManyRequests, "the third produce");
        Assert.Contains("produce rate in namespace 'orders'", detail, StringComparison.Ordinal);
        Assert.Equal(TimeSpan.FromSeconds(5), refused.Headers.RetryAfter?.Delta);

        // The refused request appended nothing; another namespace has its own bucket; reads are not limited.
        var end = await Problems.Json(await silo.Http.GetAsync("/v1/topics/orders/t"));
        Assert.Equal(2, end.GetProperty("partitions")[0].GetProperty("nextOffset").GetInt64());
        Assert.Equal(HttpStatusCode.Created, (await ProduceAsync(silo, "shipping")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await silo.Http.GetAsync("/v1/topics/orders/t/partitions/0/messages")).StatusCode);
    }

    [Fact]
    public async Task TheSdk_WaitsOutARateLimit_ReportsEachWait_AndGivesUpPastItsBudget()
    {
        await using var silo = await InProcessSilo.StartAsync("--Efflux:Limits:ProducePerSecond=4", "--Efflux:Limits:ProduceBurst=1");
        var waits = new List<ThrottledCall>();
        var options = new EffluxClientOptions { Throttled = w => { lock (waits) { waits.Add(w); } } };
        options.Gateways.Add(silo.Gateway);
        await using var client = await EffluxClient.ConnectAsync(options);
        await client.CreateTopicAsync("orders", "t");
        var topic = client.Topic("orders", "t");
        for (var i = 0; i < 4; i++)
        {
            await topic.AppendAsync(new ProduceMessage { Payload = Encoding.UTF8.GetBytes($"{{\"n\":{i}}}") });
        }

        Assert.Equal(4, (await topic.DescribeAsync()).Partitions[0].NextOffset);
        Assert.NotEmpty(waits);
        Assert.All(waits, w =>
        {
            Assert.Equal("AppendAsync", w.Method);
            Assert.InRange(w.Wait, TimeSpan.FromTicks(1), TimeSpan.FromMilliseconds(250));
            Assert.Contains("produce rate", w.Reason, StringComparison.Ordinal);
        });

        var impatient = new EffluxClientOptions { MaxThrottleWait = TimeSpan.Zero };
        impatient.Gateways.Add(silo.Gateway);
        await using var hurried = await EffluxClient.ConnectAsync(impatient);
        var failed = await Assert.ThrowsAsync<EffluxException>(async () =>
        {
            for (var i = 0; i < 10; i++)
            {
                await hurried.Topic("orders", "t").AppendAsync(new ProduceMessage { Payload = "{}"u8.ToArray() });
            }
        });
        Assert.Equal(EffluxError.Throttled, failed.Error);
        Assert.NotNull(failed.RetryAfter);
    }

    [Fact]
    public async Task ANamespace_HoldsNoMoreTopicsOrPartitionsThanItsQuota()
    {
        await using var silo = await InProcessSilo.StartAsync("--Efflux:Limits:MaxTopicsPerNamespace=3", "--Efflux:Limits:MaxPartitionsPerNamespace=5");
        Assert.Equal(HttpStatusCode.Created, (await CreateAsync(silo, "orders/a", 3)).StatusCode);
        var tooMany = await Problems.AssertProblem(await CreateAsync(silo, "orders/b", 3), HttpStatusCode.UnprocessableEntity, "6 partitions");
        Assert.Contains("MaxPartitionsPerNamespace", tooMany, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await silo.Http.GetAsync("/v1/topics/orders/b")).StatusCode);

        Assert.Equal(HttpStatusCode.Created, (await CreateAsync(silo, "orders/b", 1)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await CreateAsync(silo, "orders/c", 1)).StatusCode);
        var fourth = await Problems.AssertProblem(await CreateAsync(silo, "orders/d", 1), HttpStatusCode.UnprocessableEntity, "a fourth topic");
        Assert.Contains("MaxTopicsPerNamespace", fourth, StringComparison.Ordinal);

        // Producing to a missing topic (auto-create) meets the same quota; other namespaces and freed room are fine.
        await Problems.AssertProblem(await ProduceAsync(silo, "orders", "d"), HttpStatusCode.UnprocessableEntity, "an auto-created fourth topic");
        Assert.Equal(HttpStatusCode.Created, (await CreateAsync(silo, "shipping/a", 5)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await silo.Http.DeleteAsync("/v1/topics/orders/a")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await CreateAsync(silo, "orders/d", 3)).StatusCode);
        var listed = await Problems.Json(await silo.Http.GetAsync("/v1/topics/orders"));
        Assert.Equal(["b", "c", "d"], listed.GetProperty("topics").EnumerateArray().Select(t => t.GetString()));
    }

    [Fact]
    public async Task ACaller_HoldsNoMoreLongPollsAndStreamsOpenThanItsCap()
    {
        await using var silo = await InProcessSilo.StartAsync("--Efflux:Limits:MaxOpenReadsPerCaller=2");
        await CreateAsync(silo, "orders/t", 1);
        using var stop = new CancellationTokenSource();
        var poll = silo.Http.GetAsync("/v1/topics/orders/t/partitions/0/messages?wait=20s", stop.Token);
        var stream = silo.Http.GetAsync("/v1/topics/orders/t/partitions/0/stream", HttpCompletionOption.ResponseHeadersRead, stop.Token);
        await Eventually.Succeeds(async () =>
        {
            var waiting = await Problems.Json(await silo.Http.GetAsync("/v1/topics/orders/t"));
            Assert.Equal(2, waiting.GetProperty("partitions")[0].GetProperty("waiting").GetInt32());
        });
        var refused = await silo.Http.GetAsync("/v1/topics/orders/t/partitions/0/messages?wait=1s");
        await Problems.AssertProblem(refused, HttpStatusCode.TooManyRequests, "a third open read");

        // A read that does not wait is not counted; closing one frees its place.
        Assert.Equal(HttpStatusCode.OK, (await silo.Http.GetAsync("/v1/topics/orders/t/partitions/0/messages")).StatusCode);
        (await stream).Dispose();
        await Eventually.Succeeds(async () => Assert.Equal(HttpStatusCode.OK, (await silo.Http.GetAsync("/v1/topics/orders/t/partitions/0/messages?wait=1ms")).StatusCode));
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => poll);
    }

    [Fact]
    public async Task TheCapOnOpenReads_CountsTheSdksLongPollsToo()
    {
        await using var silo = await InProcessSilo.StartAsync("--Efflux:Limits:MaxOpenReadsPerCaller=1");
        var options = new EffluxClientOptions { MaxThrottleWait = TimeSpan.Zero };
        options.Gateways.Add(silo.Gateway);
        await using var client = await EffluxClient.ConnectAsync(options);
        await client.CreateTopicAsync("orders", "t");
        using var stop = new CancellationTokenSource();
        await using var following = client.Topic("orders", "t").ReadAsync(0, follow: true, cancellationToken: stop.Token).GetAsyncEnumerator(stop.Token);
        var first = following.MoveNextAsync().AsTask();
        await Eventually.Succeeds(async () => Assert.Equal(1, (await client.DescribeTopicAsync("orders", "t")).Partitions[0].Waiting));

        await using var second = client.Topic("orders", "t").ReadAsync(0, follow: true).GetAsyncEnumerator();
        var refused = await Assert.ThrowsAsync<EffluxException>(async () => await second.MoveNextAsync());
        Assert.Equal(EffluxError.Throttled, refused.Error);
        Assert.Contains("MaxOpenReadsPerCaller", refused.Message, StringComparison.Ordinal);

        // A read that does not wait is not an open read.
        Assert.Empty(await ToListAsync(client.Topic("orders", "t").ReadAsync(0)));
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);
    }

    private static async Task<List<EffluxMessage>> ToListAsync(IAsyncEnumerable<EffluxMessage> messages)
    {
        var list = new List<EffluxMessage>();
        await foreach (var message in messages)
        {
            list.Add(message);
        }

        return list;
    }

    [Fact]
    public async Task OversizeHeaders_AreRefusedWith431()
    {
        await using var silo = await InProcessSilo.StartAsync("--Efflux:Limits:MaxRequestHeaderBytes=2048", "--Efflux:Limits:MaxRequestHeaders=10");
        using var big = new HttpRequestMessage(HttpMethod.Get, "/v1/namespaces");
        big.Headers.Add("X-Padding", new string('x', 4096));
        Assert.Equal(HttpStatusCode.RequestHeaderFieldsTooLarge, (await silo.Http.SendAsync(big)).StatusCode);

        using var many = new HttpRequestMessage(HttpMethod.Get, "/v1/namespaces");
        for (var i = 0; i < 20; i++)
        {
            many.Headers.Add($"X-Header-{i}", "1");
        }

        Assert.Equal(HttpStatusCode.RequestHeaderFieldsTooLarge, (await silo.Http.SendAsync(many)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await silo.Http.GetAsync("/v1/namespaces")).StatusCode);
    }

    private static Task<HttpResponseMessage> ProduceAsync(InProcessSilo silo, string ns, string topic = "t")
        => silo.Http.PostAsync($"/v1/topics/{ns}/{topic}/messages", new StringContent("""{"messages":[{"data":1}]}""", Encoding.UTF8, "application/json"));

    private static Task<HttpResponseMessage> CreateAsync(InProcessSilo silo, string topic, int partitions)
        => silo.Http.PutAsync($"/v1/topics/{topic}", new StringContent($$"""{"partitions":{{partitions}}}""", Encoding.UTF8, "application/json"));
}
