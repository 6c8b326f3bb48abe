using System.Collections.Concurrent;
using Efflux.Grains.Streams;

namespace Efflux.Grains.Tests;

/// <summary>
/// The stream provider reads each partition from a queue on the partition's home silo, on a real two-silo cluster: a
/// filter on both silos records, for every fetch a pulling agent makes from a partition grain, whether the agent runs on
/// the silo that answers it.
/// </summary>
public sealed class HomeQueueTests : IAsyncLifetime
{
    private const string Ns = "home-queues";

    private readonly TwoSiloCluster _cluster = new(silo =>
    {
        // 32 queues: each silo holds some of them on the ring (with 8, one silo holding none happens about once in 128).
        silo.AddEffluxStreams("efflux", o =>
        {
            o.Namespaces.Add(Ns);
            o.Queues = 32;
        });
        silo.AddIncomingGrainCallFilter<FetchOrigins>();
    });

    public Task InitializeAsync() => _cluster.InitializeAsync();

    public Task DisposeAsync() => _cluster.DisposeAsync();

    [Fact]
    public async Task EveryPartition_IsReadByAQueueOnItsHomeSilo()
    {
        var topic = _cluster.Client.GetGrain<ITopicGrain>(GrainKeys.Topic(Ns, "t"));
        await topic.CreateOrUpdateAsync(new TopicConfig { Partitions = 8 });
        var homes = (await topic.DescribeCreatedAsync()).Partitions.Select(p => p.Silo).ToList();
        Assert.Equal(2, homes.Distinct().Count());
        var keys = Enumerable.Range(0, 8).Select(p => GrainKeys.Partition(Ns, "t", p)).ToList();
        foreach (var key in keys)
        {
            await _cluster.Client.GetGrain<IPartitionGrain>(key).AppendAsync([new ProduceMessage { Payload = [1, 2, 3] }], new ProduceOptions());
        }

        // Each partition is fetched over and over (long polls). The first fetches may come from before both silos saw
        // the whole membership; the next few, from then on, show who reads it.
        var before = await FetchesAsync(keys, _ => 1);
        var after = await FetchesAsync(keys, key => before[key].Length + 3);
        Assert.All(keys, key => Assert.All(after[key].Skip(before[key].Length), local => Assert.True(local, $"{key} was fetched by a pulling agent on another silo")));
    }

    private static Task<Dictionary<string, bool[]>> FetchesAsync(List<string> keys, Func<string, int> atLeast)
        => Eventually.Succeeds(() =>
        {
            var seen = keys.ToDictionary(key => key, FetchOrigins.Of);
            Assert.All(keys, key => Assert.True(seen[key].Length >= atLeast(key), $"{key}: {seen[key].Length} fetches so far"));
            return Task.FromResult(seen);
        }, TimeSpan.FromSeconds(60));

    /// <summary>Records, per partition grain, whether each fetch came from a pulling agent (a system target) on the answering silo.</summary>
    private sealed class FetchOrigins(ILocalSiloDetails silo) : IIncomingGrainCallFilter
    {
        private static readonly ConcurrentDictionary<string, ConcurrentQueue<bool>> Fetches = new(StringComparer.Ordinal);

        public static bool[] Of(string partition) => Fetches.TryGetValue(partition, out var seen) ? [.. seen] : [];

        public Task Invoke(IIncomingGrainCallContext context)
        {
            if (context.MethodName == nameof(IPartitionGrain.FetchBatchAsync)
                && context.SourceId is { } source
                && SystemTargetGrainId.TryParse(source, out var agent)
                && context.TargetId.Key.ToString() is { } key
                && key.StartsWith(Ns + "/", StringComparison.Ordinal))
            {
                Fetches.GetOrAdd(key, _ => new()).Enqueue(agent.GetSiloAddress().Equals(silo.SiloAddress));
            }

            return context.Invoke();
        }
    }
}
