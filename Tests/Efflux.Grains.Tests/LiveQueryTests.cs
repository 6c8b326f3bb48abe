using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Efflux.Grains.Queries;
using Efflux.Grains.Streams;

namespace Efflux.Grains.Tests;

/// <summary>
/// Live queries on a two-silo cluster give the rows the offline engine gives for the same records taken in
/// (event time, source) order, without the end-of-input flush: every window kind, a join and a pattern, with keyed
/// queries spread over operator shards and input over several partitions.
/// </summary>
public sealed class LiveQueryTests : IClassFixture<LiveQueryTests.Cluster>
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly Cluster _cluster;

    public LiveQueryTests(Cluster cluster) => _cluster = cluster;

    public sealed class Cluster : IAsyncLifetime
    {
        public TwoSiloCluster Silos { get; } = new(silo =>
        {
            silo.AddEffluxStreams(EffluxStreams.ProviderName);
            silo.AddIncomingGrainCallFilter<LostAnswers>();
        });

        public Task InitializeAsync() => Silos.InitializeAsync();

        public Task DisposeAsync() => Silos.DisposeAsync();
    }

    private IClusterClient Client => _cluster.Silos.Client;

    public static TheoryData<string, string> Queries => new()
    {
        { "tumbling", "SELECT key, COUNT(*) AS n, SUM(v) AS total, AVG(v) AS mean, window_start, window_end FROM ev WINDOW TUMBLING(1 sec) GROUP BY key INSERT INTO out;" },
        { "sliding", "SELECT key, COUNT(*) AS n, MAX(v) AS top FROM ev WINDOW SLIDING(2 sec, 500 ms) GROUP BY key INSERT INTO out;" },
        { "session", "SELECT key, COUNT(*) AS n, FIRST(v) AS first, LAST(v) AS last FROM ev WINDOW SESSION(150 ms) GROUP BY key INSERT INTO out;" },
        { "time", "SELECT key, COUNT(*) AS n, SUM(v) AS total FROM ev WINDOW TIME(400 ms) GROUP BY key INSERT INTO out;" },
        { "externaltime", "SELECT key, AVG(v) AS mean FROM ev WINDOW EXTERNALTIME(at, 300 ms) GROUP BY key INSERT INTO out;" },
        { "timebatch", "SELECT key, COUNT(*) AS n FROM ev WINDOW TIMEBATCH(700 ms) GROUP BY key INSERT INTO out;" },
        { "length", "SELECT key, SUM(v) AS total FROM ev WINDOW LENGTH(6) GROUP BY key INSERT INTO out;" },
        { "lengthbatch", "SELECT key, COUNT(*) AS n, MIN(v) AS low FROM ev WINDOW LENGTHBATCH(9) GROUP BY key INSERT INTO out;" },
        { "delay", "SELECT key, v, _partition FROM ev WINDOW DELAY(250 ms) WHERE v > 3 INSERT INTO out;" },
        { "join", "SELECT l.key AS key, l.v AS lv, r.v AS rv FROM ev AS l WINDOW LENGTH(4) JOIN other AS r WINDOW TIME(200 ms) ON l.key = r.key INSERT INTO out;" },
        { "pattern", "SELECT e1.v AS a, e2.v AS b, e3.v AS c, e1.key AS key FROM ev MATCH (e1=ev -> e2=ev -> e3=ev) WITHIN 300 ms FILTER e2.v > e1.v AND e3.v > e2.v AND e2.key = e1.key INSERT INTO out;" },
    };

    [Theory]
    [MemberData(nameof(Queries))]
    public async Task ALiveQuery_WritesTheRowsTheOfflineEngineGives_ForTheSameRecords(string ns, string text)
    {
        var sources = await ProduceAsync(ns);
        var info = await Client.GetGrain<IQueryGrain>(ns + "/q").CreateAsync(new QueryDefinition { Text = text, IdleTimeout = TimeSpan.FromMilliseconds(500) });
        Assert.Equal("running", info.Status);
        if (ns is "tumbling" or "sliding" or "session" or "time" or "externaltime")
        {
            Assert.Equal(2, info.Shards);
            Assert.Equal(["key"], info.ShardKeys);
        }
        else
        {
            Assert.Equal(1, info.Shards);
        }

        var expected = OfflineQuery.Rows(text, "q", text.Contains("JOIN other", StringComparison.Ordinal) ? ["ev", "other"] : ["ev"], sources).Select(r => r.Json).ToList();
        Assert.NotEmpty(expected);
        var rows = await RowsWhenDoneAsync(ns, expected.Count);

        var described = await Client.GetGrain<IQueryGrain>(ns + "/q").DescribeAsync();
        Assert.Equal(expected.Count, described.RowsOut);
        if (info.Shards == 1)
        {
            Assert.Equal(expected, rows.Select(r => r.Json));
        }
        else
        {
            Assert.Equal(expected.Order(StringComparer.Ordinal), rows.Select(r => r.Json).Order(StringComparer.Ordinal));
        }

        var first = rows[0].Message;
        Assert.Equal("out", first.DataType);
        Assert.Equal(ns + "/q", first.Properties[Provenance.Query]);
        var topic = first.Properties[Provenance.Topic];
        var partition = int.Parse(first.Properties[Provenance.Partition], CultureInfo.InvariantCulture);
        var to = long.Parse(first.Properties[Provenance.ToOffset], CultureInfo.InvariantCulture);
        Assert.True(long.Parse(first.Properties[Provenance.FromOffset], CultureInfo.InvariantCulture) <= to);
        var source = sources.Single(s => s.Topic == topic && s.Message.Partition == partition && s.Message.Offset == to).Message;
        Assert.Equal(Convert.ToHexStringLower(source.Fingerprint.Span), first.Properties[Provenance.Fingerprint]);
    }

    /// <summary>
    /// Keys the engine groups as one written differently in JSON (an escaped string, 2 and 2.0, null and a missing
    /// field, a field given twice, which counts by its last value): each key's events still meet in one operator shard,
    /// so every window gives one row per key, as offline.
    /// </summary>
    [Fact]
    public async Task AShardedQuery_GroupsEqualKeysWrittenDifferently_InOneShard()
    {
        const string Ns = "equalkeys";
        const string Text = "SELECT key, COUNT(*) AS n, SUM(v) AS total FROM ev WINDOW TUMBLING(1 sec) GROUP BY key INSERT INTO out;";
        string[] spellings = ["\"k1\"", "\"k\\u0031\"", "\"\\u006b1\"", "2", "2.0", "20e-1", "null", "", "\"two\"", "\"tw\\u006f\"", "-0", "0.0", "\"aa\",\"key\":\"k1\""];
        await Client.GetGrain<ITopicGrain>(GrainKeys.Topic(Ns, "ev")).CreateOrUpdateAsync(new TopicConfig { Partitions = 2 });
        var sources = new List<(string, EffluxMessage)>();
        for (var p = 0; p < 2; p++)
        {
            var messages = Enumerable.Range(0, 240).Select(i => new ProduceMessage
            {
                Payload = Encoding.UTF8.GetBytes(spellings[(i + p) % spellings.Length] is { Length: > 0 } key
                    ? $$"""{"key":{{key}},"v":{{i % 7}}}"""
                    : $$"""{"v":{{i % 7}}}"""),
                ContentType = "application/json",
                Timestamp = T0.AddMilliseconds(i * 25),
            }).ToList();
            var grain = Client.GetGrain<IPartitionGrain>(GrainKeys.Partition(Ns, "ev", p));
            await grain.AppendAsync(messages, new ProduceOptions());
            var batch = await grain.FetchBatchAsync(0, 10_000, 64 << 20, TimeSpan.Zero, CancellationToken.None);
            sources.AddRange(batch.Messages().Select(m => ("ev", m)));
        }

        var info = await Client.GetGrain<IQueryGrain>(Ns + "/q").CreateAsync(new QueryDefinition { Text = Text, IdleTimeout = TimeSpan.FromMilliseconds(500) });
        Assert.Equal(2, info.Shards);
        var expected = OfflineQuery.Rows(Text, "q", ["ev"], sources).Select(r => r.Json).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(5 * 5, expected.Count);
        var rows = await RowsWhenDoneAsync(Ns, expected.Count);

        Assert.Equal(expected, rows.Select(r => r.Json).Order(StringComparer.Ordinal));
    }

    /// <summary>
    /// Appends of rows that land but whose answers are lost (as when the output partition's silo dies after writing and
    /// before answering): the operator cannot know whether its rows were written, so it looks in its output before
    /// writing them again. The output holds every row once.
    /// </summary>
    [Fact]
    public async Task RowsWhoseAppendLandedButWasNotAnswered_AreNotWrittenTwice()
    {
        const string Ns = "lostanswers";
        const string Text = "SELECT key, COUNT(*) AS n, SUM(v) AS total FROM ev WINDOW TUMBLING(1 sec) GROUP BY key INSERT INTO out;";
        var sources = await ProduceAsync(Ns);
        var expected = OfflineQuery.Rows(Text, "q", ["ev"], sources).Select(r => r.Json).Order(StringComparer.Ordinal).ToList();
        var output = GrainKeys.Partition(Ns, "out", 0);
        LostAnswers.Arm(output, 3);

        await Client.GetGrain<IQueryGrain>(Ns + "/q").CreateAsync(new QueryDefinition { Text = Text, IdleTimeout = TimeSpan.FromMilliseconds(500) });
        var rows = await RowsWhenDoneAsync(Ns, expected.Count);

        Assert.Equal(0, LostAnswers.Left(output));
        Assert.Equal(expected, rows.Select(r => r.Json).Order(StringComparer.Ordinal));
        var numbers = rows.Select(r => (r.Message.Properties[Provenance.Shard], r.Message.Properties[Provenance.Row])).ToList();
        Assert.Equal(numbers.Count, numbers.Distinct().Count());
    }

    /// <summary>
    /// Keys spread over shards: the 169 two-letter keys of odd-valued letters, over 2, 3, 4 and 8 shards, give every
    /// shard at least 60 % of an even share. (FNV-1a over the key's text, whose lowest bit is only the parity of the
    /// bytes' lowest bits, puts all of them in one of two shards.)
    /// </summary>
    [Fact]
    public async Task ShardsOfKeys_AreSpreadEvenly()
    {
        await Client.GetGrain<ITopicGrain>(GrainKeys.Topic("spread", "ev")).CreateOrUpdateAsync(new TopicConfig { Partitions = 1 });
        var grain = Client.GetGrain<IPartitionGrain>(GrainKeys.Partition("spread", "ev", 0));
        const string Letters = "acegikmoqsuwy";
        var keys = Letters.SelectMany(a => Letters.Select(b => $"{a}{b}")).ToList();
        await grain.AppendAsync([.. keys.Select(k => new ProduceMessage { Payload = Encoding.UTF8.GetBytes($$"""{"key":"{{k}}"}""") })], new ProduceOptions());
        var messages = (await grain.FetchBatchAsync(0, 1000, 64 << 20, TimeSpan.Zero, CancellationToken.None)).Messages().ToList();
        Assert.Equal(169, messages.Count);
        foreach (var shards in new[] { 2, 3, 4, 8 })
        {
            var counts = new int[shards];
            foreach (var message in messages)
            {
                counts[QueryEvents.ShardOf(message, ["key"], shards)]++;
            }

            Assert.All(counts, c => Assert.True(c >= 0.6 * messages.Count / shards, $"{shards} shards got {string.Join(", ", counts)}"));
        }
    }

    /// <summary>Topic ev (3 partitions, each in time order) and, for the join, topic other (2 partitions).</summary>
    private async Task<List<(string Topic, EffluxMessage Message)>> ProduceAsync(string ns)
    {
        var read = new List<(string, EffluxMessage)>();
        foreach (var (topic, partitions, count, step) in new[] { ("ev", 3, 600, 23), ("other", 2, 200, 61) })
        {
            await Client.GetGrain<ITopicGrain>(GrainKeys.Topic(ns, topic)).CreateOrUpdateAsync(new TopicConfig { Partitions = partitions });
            var byPartition = Enumerable.Range(0, count).GroupBy(i => i % partitions);
            foreach (var group in byPartition)
            {
                var messages = group.Select(i => new ProduceMessage
                {
                    Payload = JsonSerializer.SerializeToUtf8Bytes(new { key = "k" + (i * 7 % 4).ToString(CultureInfo.InvariantCulture), v = i * 5 % 11, at = TimeOf(i, step).ToUnixTimeMilliseconds() }),
                    ContentType = "application/json",
                    Timestamp = TimeOf(i, step),
                }).ToList();
                var grain = Client.GetGrain<IPartitionGrain>(GrainKeys.Partition(ns, topic, group.Key));
                await grain.AppendAsync(messages, new ProduceOptions());
                var batch = await grain.FetchBatchAsync(0, 10_000, 64 << 20, TimeSpan.Zero, CancellationToken.None);
                read.AddRange(batch.Messages().Select(m => (topic, m)));
            }
        }

        return read;
    }

    /// <summary>Record i's time: every <paramref name="step"/> ms, with a 400 ms pause after every 50 records (so sessions end).</summary>
    private static DateTimeOffset TimeOf(int i, int step) => T0.AddMilliseconds((i * step) + (i / 50 * 400));

    /// <summary>
    /// The output once query {ns}/q is done: every source read to its end, and the output holds every row the query
    /// counts as written (a row written twice would be counted and found; one not yet written keeps the wait going).
    /// </summary>
    private Task<List<(string Json, EffluxMessage Message)>> RowsWhenDoneAsync(string ns, int expected) => Eventually.Succeeds(async () =>
    {
        var query = await Client.GetGrain<IQueryGrain>(ns + "/q").DescribeAsync();
        Assert.All(query.Sources, s => Assert.Equal(0, s.Lag));
        var written = await OutputAsync(ns);
        Assert.True(written.Count >= expected && written.Count == query.RowsOut, $"{written.Count} of {expected} rows so far, {query.RowsOut} counted");
        return written;
    }, TimeSpan.FromSeconds(40));

    private async Task<List<(string Json, EffluxMessage Message)>> OutputAsync(string ns)
    {
        var batch = await Client.GetGrain<IPartitionGrain>(GrainKeys.Partition(ns, "out", 0)).FetchBatchAsync(0, 100_000, 64 << 20, TimeSpan.Zero, CancellationToken.None);
        return [.. batch.Messages().Select(m => (Encoding.UTF8.GetString(m.Payload), m))];
    }

    /// <summary>
    /// Loses the answer of the next appends to an armed partition: the append runs and its records are stored, then
    /// the caller gets the timeout it would get from a silo that died before answering.
    /// </summary>
    private sealed class LostAnswers : IIncomingGrainCallFilter
    {
        private static readonly ConcurrentDictionary<string, int> Armed = new(StringComparer.Ordinal);

        public static void Arm(string partition, int answers) => Armed[partition] = answers;

        public static int Left(string partition) => Armed.GetValueOrDefault(partition);

        public async Task Invoke(IIncomingGrainCallContext context)
        {
            await context.Invoke();
            if (context.MethodName == nameof(IPartitionGrain.AppendAsync)
                && context.TargetId.Key.ToString() is { } key
                && Armed.TryGetValue(key, out var left) && left > 0
                && Armed.TryUpdate(key, left - 1, left))
            {
                throw new TimeoutException("The answer to this append was lost (test fault).");
            }
        }
    }
}
