using System.Globalization;
using System.Net;
using System.Text;
using Efflux.Client;
using Xunit.Abstractions;

namespace Efflux.Service.Tests;

/// <summary>
/// What thousands of partitions cost a silo process: they open when first used, stay small while open, close when idle
/// and give their memory back; and the partition counts are bounded per topic and per silo.
/// </summary>
[Collection(SiloProcessCollection.Name)]
public sealed class PartitionMemoryTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Topics = 8;
    private const int PartitionsPerTopic = 250;
    private const long BudgetPerPartition = 64 << 10;
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "efflux-memory-" + Guid.NewGuid().ToString("N"));
    private SiloProcess _silo = null!;

    public async Task InitializeAsync()
    {
        _silo = new SiloProcess(_directory,
        [
            "--Efflux:PartitionIdleTimeout=00:01:00",
            "--Efflux:GrainCollection:CollectionQuantum=00:00:01",
            "--Efflux:MaxPartitionsPerSilo=2150",
        ]);

        await _silo.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _silo.DisposeAsync();
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private long ResidentBytes()
    {
        var line = File.ReadLines($"/proc/{_silo.ProcessId}/status").Single(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
    }

    private async Task<int> OpenPartitionsAsync()
    {
        var cluster = await Problems.Json(await _silo.Http.GetAsync("/v1/cluster"));
        return cluster.GetProperty("silos")[0].GetProperty("activations").TryGetProperty("efflux.partition", out var n) ? n.GetInt32() : 0;
    }

    private async Task AllClosedAsync()
    {
        var closing = System.Diagnostics.Stopwatch.StartNew();
        while (await OpenPartitionsAsync() > 0)
        {
            Assert.True(closing.Elapsed < TimeSpan.FromSeconds(150), "idle partitions did not close within 150 s");
            await Task.Delay(500);
        }
    }

    private async Task TouchAsync(string topic, int partitions)
    {
        for (var p = 0; p < partitions; p++)
        {
            using var response = await _silo.Http.PostAsync($"/v1/topics/mem/{topic}/messages?partition={p}", Json("""{"messages":[{"data":1}]}"""));
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        }
    }

    [Fact]
    public async Task TwoThousandPartitions_StayWithinTheirMemoryBudget_AndGiveItBackWhenIdle()
    {
        // The same paths once first, opening and closing included, so that compiling them is not counted as the
        // partitions' memory; and the baseline is taken as the idle state at the end will be: after 100 partitions closed
        // and the silo gave back what it could (IdleMemoryTrim looks every 10 s).
        await Problems.Json(await _silo.Http.PutAsync("/v1/topics/mem/warm", Json("""{"partitions":100}""")), HttpStatusCode.Created);
        await TouchAsync("warm", 100);
        await AllClosedAsync();
        await Task.Delay(TimeSpan.FromSeconds(12));
        var baseline = ResidentBytes();

        for (var t = 0; t < Topics; t++)
        {
            await Problems.Json(await _silo.Http.PutAsync($"/v1/topics/mem/t{t}", Json($$"""{"partitions":{{PartitionsPerTopic}}}""")), HttpStatusCode.Created);
            await TouchAsync("t" + t.ToString(CultureInfo.InvariantCulture), PartitionsPerTopic);
        }

        // Once the burst of requests is over the silo gives back what the collector kept of it (IdleMemoryTrim), so
        // what stays is what the open partitions hold.
        await Task.Delay(TimeSpan.FromSeconds(25));
        // Every partition of the test is open.
        Assert.Equal(Topics * PartitionsPerTopic, await OpenPartitionsAsync());
        var peak = ResidentBytes();
        output.WriteLine($"baseline {baseline >> 20} MiB; with {Topics * PartitionsPerTopic} partitions open {peak >> 20} MiB: {(peak - baseline) / (Topics * PartitionsPerTopic) / 1024} KiB per partition");
        Assert.True(peak - baseline <= Topics * PartitionsPerTopic * BudgetPerPartition, $"{(peak - baseline) >> 20} MiB for {Topics * PartitionsPerTopic} open partitions is over the {BudgetPerPartition >> 10} KiB each budget");

        // Idle: every partition closes, and the memory goes back: at least half of what the open partitions took, and
        // all but 40 MiB. What stays is mostly not the heap (the collector's heap is back at its baseline size): the
        // collector's bookkeeping for the address range the heap grew over is committed once and kept (about 18 MiB
        // in one mapping beside its reserved range after this test, read from /proc/PID/smaps), and code compiled
        // for the paths the burst took.
        await AllClosedAsync();

        var allowed = Math.Min(40L << 20, (peak - baseline) / 2);
        long idle = 0;
        for (var wait = 0; wait < 30; wait++)
        {
            await Task.Delay(1000);
            idle = ResidentBytes();
            if (idle - baseline <= allowed)
            {
                break;
            }
        }

        output.WriteLine($"idle again: {idle >> 20} MiB");
        Assert.True(idle - baseline <= allowed, $"idle silo keeps {(idle - baseline) >> 20} MiB over its baseline, of the {(peak - baseline) >> 20} MiB its open partitions took (allowed: {allowed >> 20} MiB)");
    }

    [Fact]
    public async Task CallsLargerThanTheLimit_AreRefused_WithoutTheSiloBufferingThem()
    {
        await Problems.Json(await _silo.Http.PutAsync("/v1/topics/mem/big", Json("""{"partitions":1}""")), HttpStatusCode.Created);
        var batch = Enumerable.Range(0, 70).Select(_ => new ProduceMessage { Payload = new byte[1 << 20] }).ToList();

        // The SDK refuses to send what the silo would refuse to read.
        await using (var client = await EffluxClient.ConnectAsync(_silo.Gateway))
        {
            var refused = await Assert.ThrowsAsync<EffluxException>(() => client.Topic("mem", "big").AppendBatchAsync(batch));
            Assert.Equal(EffluxError.TooLarge, refused.Error);
        }

        // A client that allows itself more is cut off by the gateway when the frame's header announces the size,
        // before the body is buffered: the silo's memory does not grow by it, nothing is appended, and it serves on.
        var before = ResidentBytes();
        await using (var greedy = await EffluxClient.ConnectAsync(new EffluxClientOptions { Gateways = { _silo.Gateway }, MaxCallBytes = 256 << 20, CallTimeout = TimeSpan.FromSeconds(10) }))
        {
            await Assert.ThrowsAnyAsync<Exception>(() => greedy.Topic("mem", "big").AppendBatchAsync(batch));
        }

        Assert.True(ResidentBytes() - before < 32 << 20, $"the silo grew by {(ResidentBytes() - before) >> 20} MiB");
        await using var after = await EffluxClient.ConnectAsync(_silo.Gateway);
        Assert.Equal(0, (await after.Topic("mem", "big").DescribeAsync()).Partitions[0].NextOffset);
        Assert.Equal(0, (await after.Topic("mem", "big").AppendAsync(new ProduceMessage { Payload = [1] })).Offset);
    }

    [Fact]
    public async Task PartitionCounts_AreBoundedPerTopic_AndPerSilo()
    {
        var perTopic = await Problems.AssertProblem(await _silo.Http.PutAsync("/v1/topics/mem/wide", Json("""{"partitions":300}""")), HttpStatusCode.BadRequest);
        Assert.Contains("MaxPartitionsPerTopic", perTopic, StringComparison.Ordinal);

        for (var t = 0; t < Topics; t++)
        {
            await Problems.Json(await _silo.Http.PutAsync($"/v1/topics/mem/b{t}", Json($$"""{"partitions":{{PartitionsPerTopic}}}""")), HttpStatusCode.Created);
        }

        // Creating topics opens none of their partitions: each opens when it is first used.
        Assert.Equal(0, await OpenPartitionsAsync());

        var perSilo = await Problems.AssertProblem(await _silo.Http.PutAsync("/v1/topics/mem/over", Json("""{"partitions":200}""")), (HttpStatusCode)422);
        Assert.Contains("MaxPartitionsPerSilo", perSilo, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await _silo.Http.GetAsync("/v1/topics/mem/over")).StatusCode);

        // Deleting a topic gives its partitions back to the budget.
        Assert.Equal(HttpStatusCode.NoContent, (await _silo.Http.DeleteAsync("/v1/topics/mem/b0")).StatusCode);
        await Problems.Json(await _silo.Http.PutAsync("/v1/topics/mem/over", Json("""{"partitions":200}""")), HttpStatusCode.Created);
    }
}
