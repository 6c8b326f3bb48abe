using System.Net;
using System.Text;
using Efflux.Client;

namespace Efflux.Service.Tests;

/// <summary>Three silo processes on a real redis-server with grain state on Azurite: partitions spread, every gateway reaches every partition, a SIGKILLed silo loses nothing it acknowledged.</summary>
[Collection(SiloProcessCollection.Name)]
public sealed class ClusterTests : IAsyncLifetime
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "efflux-cluster-" + Guid.NewGuid().ToString("N"));
    private RedisServer _redis = null!;
    private AzuriteServer _azurite = null!;
    private readonly List<SiloProcess> _silos = [];
    private readonly string _clusterId = "c" + Guid.NewGuid().ToString("N")[..8];

    public async Task InitializeAsync()
    {
        _redis = await RedisServer.StartAsync();
        _azurite = await AzuriteServer.StartAsync();
        for (var i = 0; i < 3; i++)
        {
            _silos.Add(new SiloProcess(_redis.Configuration, _clusterId, _azurite.ConnectionString, Path.Combine(_root, "silo" + i)));
        }

        await Task.WhenAll(_silos.Select(s => s.StartAsync()));

        // Whichever silo places the partitions must have all three in its view: each silo polls the membership table on its own.
        foreach (var silo in _silos)
        {
            await Eventually.Succeeds(async () =>
            {
                var view = await Problems.Json(await silo.Http.GetAsync("/v1/cluster"));
                Assert.Equal(3, view.GetProperty("silos").EnumerateArray().Count(s => s.GetProperty("inView").GetBoolean()));
                return true;
            });
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var silo in _silos)
        {
            await silo.DisposeAsync();
        }

        _redis.Dispose();
        _azurite.Dispose();
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    [Fact]
    public void Silos_WatchNoFiles_SoAppendsUnderTheContentRootWakeNothing()
    {
        // Configuration reload would watch the whole content root (where ./data lives under dotnet run) with inotify.
        foreach (var silo in _silos)
        {
            var watches = Directory.EnumerateFiles($"/proc/{silo.ProcessId}/fdinfo")
                .Select(f => { try { return File.ReadAllLines(f); } catch (IOException) { return []; } })
                .Sum(lines => lines.Count(l => l.StartsWith("inotify wd:", StringComparison.Ordinal)));
            Assert.Equal(0, watches);
        }
    }

    [Fact]
    public async Task PartitionsSpreadOverSilos_AndEveryGatewayReachesEveryPartition()
    {
        await Problems.Json(await _silos[0].Http.PutAsync("/v1/topics/spread/t", Json("""{"partitions":6}""")), HttpStatusCode.Created);
        var topic = await Problems.Json(await _silos[1].Http.GetAsync("/v1/topics/spread/t"));
        var homes = topic.GetProperty("partitions").EnumerateArray().Select(p => p.GetProperty("silo").GetString()).ToList();
        Assert.True(homes.Distinct().Count() >= 2, "all six partitions are on one silo: " + string.Join(", ", homes));
        Assert.All(homes, h => Assert.Contains(_silos, s => s.SiloName == h));

        // Each partition's files are on the silo that hosts it, and nowhere else.
        for (var p = 0; p < 6; p++)
        {
            await Problems.Json(await _silos[p % 3].Http.PostAsync($"/v1/topics/spread/t/messages?partition={p}", Json($$"""{"messages":[{"data":{{p}}}]}""")), HttpStatusCode.Created);
            var home = _silos.Single(s => s.SiloName == homes[p]);
            Assert.True(Directory.Exists(Path.Combine(home.DataDirectory, "spread", "t", p.ToString(System.Globalization.CultureInfo.InvariantCulture))));
            Assert.All(_silos.Where(s => s != home), s => Assert.False(Directory.Exists(Path.Combine(s.DataDirectory, "spread", "t", p.ToString(System.Globalization.CultureInfo.InvariantCulture)))));
        }

        foreach (var silo in _silos)
        {
            for (var p = 0; p < 6; p++)
            {
                var read = await Problems.Json(await silo.Http.GetAsync($"/v1/topics/spread/t/partitions/{p}/messages"));
                Assert.Equal(p.ToString(System.Globalization.CultureInfo.InvariantCulture), read.GetProperty("messages")[0].GetProperty("data").GetRawText());
            }

            await using var client = await EffluxClient.ConnectAsync(new EffluxClientOptions { Gateways = { silo.Gateway }, ClusterId = _clusterId });
            var results = await client.Topic("spread", "t").AppendBatchAsync([.. Enumerable.Range(0, 12).Select(i => new ProduceMessage { Payload = [(byte)i] })]);
            Assert.Equal(6, results.Select(r => r.Partition).Distinct().Count());
        }

        // A client that finds the gateways in the cluster's Redis membership table reaches every partition too.
        await using (var clustered = await EffluxClient.ConnectAsync(new EffluxClientOptions { Redis = _redis.Configuration, ClusterId = _clusterId }))
        {
            var results = await clustered.Topic("spread", "t").AppendBatchAsync([.. Enumerable.Range(0, 12).Select(i => new ProduceMessage { Payload = [(byte)i] })]);
            Assert.Equal(6, results.Select(r => r.Partition).Distinct().Count());
        }

        // A consumer group committed through one silo is seen through another.
        await Problems.Json(await _silos[2].Http.PostAsync("/v1/topics/spread/t/groups/g/commit", Json("""{"partition":4,"offset":1}""")));
        var group = await Problems.Json(await _silos[0].Http.GetAsync("/v1/topics/spread/t/groups/g"));
        Assert.Equal(1, group.GetProperty("partitions")[4].GetProperty("committed").GetInt64());
    }

    [Fact]
    public async Task ASigkilledSilo_LosesNoAcknowledgedMessage_AndItsPartitionsFailFastUntilItReturns()
    {
        await Problems.Json(await _silos[0].Http.PutAsync("/v1/topics/crash/t", Json("""{"partitions":6}""")), HttpStatusCode.Created);
        var homes = (await Problems.Json(await _silos[0].Http.GetAsync("/v1/topics/crash/t"))).GetProperty("partitions").EnumerateArray().Select(p => p.GetProperty("silo").GetString()).ToList();
        // The victim is the silo that holds the topic grain (every silo holds partitions): appends must not depend on it.
        var activations = await Task.WhenAll(_silos.Select(async s => (await Problems.Json(await s.Http.GetAsync("/v1/cluster"))).GetProperty("silos").EnumerateArray()
            .Single(x => x.GetProperty("self").GetBoolean()).GetProperty("activations")));
        var victim = _silos[Array.FindIndex(activations, a => a.TryGetProperty("efflux.topic", out _))];
        Assert.Contains(victim.SiloName, homes);
        var gateway = _silos.First(s => s != victim);
        var victimPartitions = Enumerable.Range(0, 6).Where(p => homes[p] == victim.SiloName).ToList();
        var survivingPartitions = Enumerable.Range(0, 6).Where(p => homes[p] != victim.SiloName).ToList();

        // Durable appends through a surviving gateway, with writers still going when the victim dies.
        // (An SDK call already in flight to a silo that is killed ends at the call timeout: 5 s here, 30 s by default.)
        await using var client = await EffluxClient.ConnectAsync(new EffluxClientOptions { Gateways = { gateway.Gateway }, ClusterId = _clusterId, CallTimeout = TimeSpan.FromSeconds(5) });
        var topic = client.Topic("crash", "t");
        var acknowledged = new System.Collections.Concurrent.ConcurrentBag<ProduceResult>();
        using var stop = new CancellationTokenSource();
        var writers = Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                try
                {
                    foreach (var r in await topic.AppendBatchAsync([new ProduceMessage { Id = $"w{w}-{i}", Payload = Encoding.UTF8.GetBytes($"w{w}-{i}") }], partition: victimPartitions[i % victimPartitions.Count]))
                    {
                        acknowledged.Add(r);
                    }
                }
                catch (EffluxException)
                {
                    await Task.Delay(10);
                }
            }
        })).ToList();

        // Partitions on the other silos never stop taking appends, through the SDK or through REST on any surviving
        // silo, whichever silo held the topic grain.
        var survivorFailures = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var survivorAppends = 0;
        using var stopSurvivors = new CancellationTokenSource();
        var survivors = _silos.Where(s => s != victim).Select((silo, w) => Task.Run(async () =>
        {
            for (var i = 0; !stopSurvivors.IsCancellationRequested; i++)
            {
                var p = survivingPartitions[i % survivingPartitions.Count];
                try
                {
                    await topic.AppendAsync(new ProduceMessage { Payload = [1] }, partition: p);
                    using var response = await silo.Http.PostAsync($"/v1/topics/crash/t/messages?partition={p}", Json("""{"messages":[{"data":1}]}"""));
                    if (response.StatusCode != HttpStatusCode.Created)
                    {
                        survivorFailures.Enqueue($"REST on {silo.SiloName} to partition {p}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                    }

                    Interlocked.Increment(ref survivorAppends);
                }
                catch (EffluxException ex)
                {
                    survivorFailures.Enqueue($"SDK to partition {p}: {ex.Message}");
                }
            }
        })).ToList();

        // Writers on both sides are appending when the victim dies.
        await Eventually.WaitUntil(() => acknowledged.Count >= 20 && Volatile.Read(ref survivorAppends) >= 10);
        victim.Kill();
        var sinceKill = System.Diagnostics.Stopwatch.StartNew();

        // While it is down: a clear, fast "partition unavailable", within 5 s of the kill.
        var down = await Eventually.Succeeds(async () =>
        {
            using var response = await gateway.Http.GetAsync($"/v1/topics/crash/t/partitions/{victimPartitions[0]}/messages");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            return await Problems.AssertProblem(response, HttpStatusCode.ServiceUnavailable);
        });
        Assert.True(sinceKill.Elapsed < TimeSpan.FromSeconds(5), $"the first 503 came {sinceKill.Elapsed} after the kill");
        await stop.CancelAsync();
        await Task.WhenAll(writers);
        Assert.NotEmpty(acknowledged);
        Assert.Contains("unavailable", down, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(_silos.Where(s => s != victim), s => Directory.Exists(Path.Combine(s.DataDirectory, "crash", "t", victimPartitions[0].ToString(System.Globalization.CultureInfo.InvariantCulture))));

        // The surviving partitions took appends all along, and go on taking them while the victim is down.
        var atDown = Volatile.Read(ref survivorAppends);
        await Eventually.WaitUntil(() => Volatile.Read(ref survivorAppends) >= atDown + 10);
        await stopSurvivors.CancelAsync();
        await Task.WhenAll(survivors);
        Assert.Empty(survivorFailures);
        Assert.True(survivorAppends > 10, $"only {survivorAppends} appends to surviving partitions");

        // Back on the same endpoint and data: every acknowledged message is there, and the chain verifies.
        await victim.StartAsync();
        foreach (var p in victimPartitions)
        {
            var ids = await Eventually.Succeeds(async () => (await topic.ReadAsync(p, verifyChain: true).ToListAsync()).Select(m => m.Id).ToHashSet());
            var expected = acknowledged.Where(r => r.Partition == p).Select(r => r.Id).ToList();
            Assert.All(expected, id => Assert.Contains(id, ids));
            Assert.True((await topic.VerifyAsync(p)).Ok);
        }
    }

    [Fact]
    public async Task ALiveQuery_WhoseOperatorsSiloIsSigkilledMidQuery_WritesExactlyTheRowsOfAnUninterruptedRun()
    {
        const string Text = "SELECT key, COUNT(*) AS n, SUM(v) AS total, window_end FROM readings WINDOW TUMBLING(1 sec) GROUP BY key INSERT INTO out;";
        await Problems.Json(await _silos[0].Http.PutAsync("/v1/topics/eo/readings", Json("""{"partitions":3}""")), HttpStatusCode.Created);
        var definition = System.Text.Json.JsonSerializer.Serialize(new { query = Text, shards = 3, idleTimeout = "10s" });
        await Problems.Json(await _silos[0].Http.PutAsync("/v1/queries/eo/counts", Json(definition)), HttpStatusCode.Created);

        await using var client = await EffluxClient.ConnectAsync(new EffluxClientOptions { Gateways = { _silos[0].Gateway, _silos[1].Gateway, _silos[2].Gateway }, ClusterId = _clusterId, CallTimeout = TimeSpan.FromSeconds(5) });
        var topic = client.Topic("eo", "readings");
        var t0 = new DateTimeOffset(2026, 7, 1, 0, 0, 0, TimeSpan.Zero);
        var producer = Task.Run(async () =>
        {
            for (var b = 0; b < 60; b++)
            {
                for (var p = 0; p < 3; p++)
                {
                    var batch = Enumerable.Range(b * 60, 60).Where(i => i % 3 == p).Select(i => new ProduceMessage
                    {
                        Payload = Encoding.UTF8.GetBytes($$"""{"key":"k{{i % 5}}","v":{{i % 7}}}"""),
                        ContentType = "application/json",
                        Timestamp = t0.AddMilliseconds(i * 20),
                    }).ToList();

                    // Retried until acknowledged; a retry after an append that did land leaves a duplicate in the
                    // input, which the expected rows (computed from what the log holds) account for.
                    await Eventually.Succeeds(async () => await topic.AppendBatchAsync(batch, partition: p), TimeSpan.FromSeconds(60));
                }

                await Task.Delay(50);
            }
        });

        // Mid-query (some input taken, more to come), SIGKILL the silo running most of the query's operator grains, and
        // bring it back later.
        await Eventually.Succeeds(async () => Assert.True((await client.Queries.GetAsync("eo", "counts")).EventsIn > 0, "the query has taken no input yet"));
        var activations = await Task.WhenAll(_silos.Select(async s => (await Problems.Json(await s.Http.GetAsync("/v1/cluster"))).GetProperty("silos").EnumerateArray()
            .Single(x => x.GetProperty("self").GetBoolean()).GetProperty("activations")));
        var operators = activations.Select(a => a.TryGetProperty("efflux.query-operator", out var n) ? n.GetInt32() : 0).ToList();
        Assert.Equal(3, operators.Sum());
        var victim = _silos[operators.IndexOf(operators.Max())];
        victim.Kill();

        // Back only once the others have declared it dead, so its operators really moved away and back.
        var witness = _silos.First(s => s != victim);
        await Eventually.Succeeds(async () =>
        {
            var silos = (await Problems.Json(await witness.Http.GetAsync("/v1/cluster"))).GetProperty("silos").EnumerateArray();
            Assert.DoesNotContain(silos, x => x.GetProperty("name").GetString() == victim.SiloName && x.GetProperty("status").GetString() == "Active");
        }, TimeSpan.FromSeconds(60));
        await victim.StartAsync();
        await producer;

        var records = new List<(string, EffluxMessage)>();
        for (var p = 0; p < 3; p++)
        {
            records.AddRange((await Eventually.Succeeds(async () => await topic.ReadAsync(p).ToListAsync())).Select(m => ("readings", m)));
        }

        var expected = OfflineQuery.Rows(Text, "counts", ["readings"], records).Select(r => r.Json).ToList();
        var output = client.Topic("eo", "out");
        var rows = await Eventually.Succeeds(async () =>
        {
            var query = await client.Queries.GetAsync("eo", "counts");
            Assert.True(records.Count == query.EventsIn, $"{query.EventsIn} of {records.Count} events taken; positions/ends {string.Join(" ", query.Sources.Select(s => $"{s.Partition}:{s.Position}/{s.EndOffset}"))}; last error {query.LastError}");
            var written = await output.ReadAsync(0).ToListAsync();
            Assert.True(written.Count >= expected.Count, $"{written.Count} of {expected.Count} rows");
            return written;
        }, TimeSpan.FromSeconds(90));
        await Task.Delay(2000);
        rows = await output.ReadAsync(0).ToListAsync();

        var written = rows.Select(r => Encoding.UTF8.GetString(r.Payload)).ToList();
        var missing = expected.ToList();
        var extra = new List<string>();
        foreach (var row in written)
        {
            if (!missing.Remove(row))
            {
                extra.Add(row);
            }
        }

        Assert.True(missing.Count == 0 && extra.Count == 0, $"{written.Count} rows written, {expected.Count} expected; missing: {string.Join(" ", missing.Take(10))}; extra: {string.Join(" ", extra.Take(10))}");
        var numbers = rows.Select(r => (r.Properties[Grains.Queries.Provenance.Shard], r.Properties[Grains.Queries.Provenance.Row])).ToList();
        Assert.Equal(numbers.Count, numbers.Distinct().Count());
    }
}
