using System.Globalization;
using System.Text;
using Efflux.Grains.Streams;

namespace Efflux.Grains.Tests;

/// <summary>
/// The Efflux stream provider learns of new topics and namespaces when they are made, not at its periodic lookup: here
/// the lookup interval is ten minutes, longer than any wait below, so only the notifications can make these pass.
/// </summary>
public sealed class TopicDiscoveryTests : IAsyncLifetime
{
    private readonly TwoSiloCluster _cluster = new(silo => silo.AddEffluxStreams("efflux", o =>
    {
        o.Namespaces.Add("s");
        o.DiscoveryInterval = TimeSpan.FromMinutes(10);
    }));

    public Task InitializeAsync() => _cluster.InitializeAsync();

    public Task DisposeAsync() => _cluster.DisposeAsync();

    private IClusterClient Client => _cluster.Client;

    private async Task<List<Seen>> ProduceAndSeeAsync(string ns, string topic, string recorder, int count)
    {
        var subscriber = Client.GetGrain<IRecorderGrain>(recorder);
        await subscriber.SubscribeAsync(ns, topic, 0, 0, 0);
        var messages = Enumerable.Range(0, count).Select(i => new ProduceMessage { Payload = Encoding.UTF8.GetBytes("m" + i.ToString(CultureInfo.InvariantCulture)) }).ToList();
        await Client.GetGrain<IPartitionGrain>(GrainKeys.Partition(ns, topic, 0)).AppendAsync(messages, new ProduceOptions());
        return await Eventually.Succeeds(async () =>
        {
            var seen = await subscriber.SeenAsync();
            Assert.Equal(count, seen.Count);
            return seen;
        }, TimeSpan.FromSeconds(20));
    }

    private Task<bool> CreateAsync(string ns, string topic)
        => Client.GetGrain<ITopicGrain>(GrainKeys.Topic(ns, topic)).CreateOrUpdateAsync(new TopicConfig { Partitions = 1 });

    [Fact]
    public async Task TopicsCreatedAfterTheProviderLookedUp_AndNamespacesAddedLater_AreReadAtOnce()
    {
        // A record delivered from this topic shows that the provider's one lookup has happened on some silo.
        await CreateAsync("s", "first");
        await ProduceAndSeeAsync("s", "first", "first", 1);

        // Both silos' lookups are done before this topic exists; only the namespace grain's notification can bring it in.
        await Task.Delay(500);
        await CreateAsync("s", "second");
        var seen = await ProduceAndSeeAsync("s", "second", "second", 10);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (long)i), seen.Select(s => s.Offset));

        // A namespace the provider did not read: added (as live queries add theirs), its topic is read at once too.
        await CreateAsync("q", "third");
        await Client.GetGrain<IStreamNamespacesGrain>("efflux").WatchAsync("q");
        await ProduceAndSeeAsync("q", "third", "third", 5);
    }
}
