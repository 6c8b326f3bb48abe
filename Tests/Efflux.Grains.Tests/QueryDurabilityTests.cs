using System.Collections.Concurrent;
using System.Text;
using Efflux.Grains.Streams;
using Efflux.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Efflux.Grains.Tests;

/// <summary>
/// A live query writes its rows with leader acks and makes them durable before it checkpoints: with the periodic sync
/// of unsynced appends an hour away, the output is still fsynced past every row the query has counted.
/// </summary>
public sealed class QueryDurabilityTests : IAsyncLifetime
{
    private const string Ns = "durablerows";
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly ConcurrentDictionary<string, long> _synced = new(StringComparer.Ordinal);
    private readonly TwoSiloCluster _cluster;

    public QueryDurabilityTests()
    {
        _cluster = new(silo =>
        {
            silo.AddEffluxStreams(EffluxStreams.ProviderName);
            silo.Configure<EffluxOptions>(o => o.UnsyncedFlushInterval = TimeSpan.FromHours(1));
            silo.Services.AddSingleton<ILoggerProvider>(_ => new SyncLog(_synced));
            silo.Services.Configure<LoggerFilterOptions>(o => o.Rules.Add(new LoggerFilterRule(typeof(SyncLog).FullName, typeof(PartitionLog).FullName, LogLevel.Debug, null)));
        });
    }

    public Task InitializeAsync() => _cluster.InitializeAsync();

    public Task DisposeAsync() => _cluster.DisposeAsync();

    [Fact]
    public async Task RowsAQueryHasCheckpointed_AreDurable_WithoutThePeriodicSync()
    {
        var client = _cluster.Client;
        await client.GetGrain<ITopicGrain>(GrainKeys.Topic(Ns, "ev")).CreateOrUpdateAsync(new TopicConfig { Partitions = 1 });
        var messages = Enumerable.Range(0, 3000).Select(i => new ProduceMessage
        {
            Payload = Encoding.UTF8.GetBytes($$"""{"key":"k{{i % 5}}","v":{{i % 9}}}"""),
            ContentType = "application/json",
            Timestamp = T0.AddMilliseconds(i * 10),
        }).ToList();
        await client.GetGrain<IPartitionGrain>(GrainKeys.Partition(Ns, "ev", 0)).AppendAsync(messages, new ProduceOptions { Acks = Acks.Leader });

        var query = client.GetGrain<IQueryGrain>(Ns + "/q");
        await query.CreateAsync(new QueryDefinition { Text = "SELECT key, COUNT(*) AS n FROM ev WINDOW TUMBLING(1 sec) GROUP BY key INSERT INTO out;", IdleTimeout = TimeSpan.FromMilliseconds(500) });
        var output = client.GetGrain<IPartitionGrain>(GrainKeys.Partition(Ns, "out", 0));
        var rows = await Eventually.Succeeds(async () =>
        {
            var described = await query.DescribeAsync();
            Assert.Equal(3000, described.EventsIn);
            Assert.Equal(29 * 5, described.RowsOut);
            Assert.Equal(described.RowsOut, (await output.DescribeAsync()).NextOffset);
            return described.RowsOut;
        }, TimeSpan.FromSeconds(30));

        // Nothing but the query's checkpoint syncs the output within the hour.
        await Eventually.Succeeds(() =>
        {
            Assert.True(HighestSyncedEnd(Path.Combine(Ns, "out", "0")) >= rows, $"the output is synced up to {HighestSyncedEnd(Path.Combine(Ns, "out", "0"))} of {rows} rows");
            return Task.FromResult(true);
        }, TimeSpan.FromSeconds(10));
    }

    /// <summary>The highest offset a partition's log (its directory ending with <paramref name="partitionPath"/>) has fsynced up to.</summary>
    private long HighestSyncedEnd(string partitionPath)
        => _synced.Where(s => s.Key.EndsWith(Path.DirectorySeparatorChar + partitionPath, StringComparison.Ordinal)).Select(s => s.Value).DefaultIfEmpty(-1).Max();

    /// <summary>Keeps, per partition directory, the highest offset its log has fsynced up to (from the log's own debug messages).</summary>
    private sealed class SyncLog(ConcurrentDictionary<string, long> synced) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Logger(synced);

        public void Dispose()
        {
        }

        private sealed class Logger(ConcurrentDictionary<string, long> synced) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                if (state is IReadOnlyList<KeyValuePair<string, object?>> fields
                    && fields.FirstOrDefault(f => f.Key == "Next").Value is long next
                    && fields.FirstOrDefault(f => f.Key == "Directory").Value is string directory)
                {
                    synced.AddOrUpdate(directory, next, (_, seen) => Math.Max(seen, next));
                }
            }
        }
    }
}
