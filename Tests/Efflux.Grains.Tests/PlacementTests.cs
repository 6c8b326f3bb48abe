using System.Globalization;

namespace Efflux.Grains.Tests;

/// <summary>Home-silo placement on a real two-silo Orleans cluster: partitions live where their files are, and nowhere else.</summary>
public sealed class PlacementTests : IAsyncLifetime
{
    private readonly TwoSiloCluster _cluster = new();

    public Task InitializeAsync() => _cluster.InitializeAsync();

    public Task DisposeAsync() => _cluster.DisposeAsync();

    private static List<ProduceMessage> One(string text) => [new ProduceMessage { Payload = System.Text.Encoding.UTF8.GetBytes(text) }];

    [Fact]
    public async Task Partitions_RunOnTheirHomeSilos_AndKeepTheirFilesThere()
    {
        var topic = _cluster.Client.GetGrain<ITopicGrain>("p/t");
        Assert.True(await topic.CreateOrUpdateAsync(new TopicConfig { Partitions = 4 }));
        var names = _cluster.Cluster.Silos.Select(s => s.Name).ToHashSet();

        for (var p = 0; p < 4; p++)
        {
            var partition = _cluster.Client.GetGrain<IPartitionGrain>(GrainKeys.Partition("p", "t", p));
            await partition.AppendAsync(One("m" + p), new ProduceOptions());
            var home = (await partition.DescribeAsync()).Silo;
            Assert.Contains(home, names);
            var directory = Path.Combine("p", "t", p.ToString(CultureInfo.InvariantCulture));
            Assert.True(Directory.Exists(Path.Combine(_cluster.DataDirectoryOf(home), directory)));
            Assert.All(names.Where(n => n != home), other => Assert.False(Directory.Exists(Path.Combine(_cluster.DataDirectoryOf(other), directory))));
        }

        var homes = (await topic.DescribeAsync()).Partitions.Select(p => p.Silo).ToHashSet();
        Assert.Equal(names, homes);
    }

    [Fact]
    public async Task WhileItsHomeSiloIsDown_APartitionFailsFast_AndStartsNoSecondChain_WhileOthersKeepAppending()
    {
        var topic = _cluster.Client.GetGrain<ITopicGrain>("k/t");
        await topic.CreateOrUpdateAsync(new TopicConfig { Partitions = 4 });
        var homes = (await topic.DescribeAsync()).Partitions.Select(p => p.Silo).ToList();

        // The client's gateway must survive: kill the other silo.
        var gatewaySilo = _cluster.Cluster.Silos[0];
        var victim = _cluster.Cluster.Silos.Single(s => s != gatewaySilo);
        var lost = homes.IndexOf(victim.Name);
        var kept = homes.IndexOf(gatewaySilo.Name);
        Assert.True(lost >= 0 && kept >= 0, "both silos hold partitions");
        await _cluster.Cluster.KillSiloAsync(victim);

        var down = _cluster.Client.GetGrain<IPartitionGrain>(GrainKeys.Partition("k", "t", lost));
        var error = await Eventually.Succeeds(async () =>
        {
            var thrown = await Assert.ThrowsAnyAsync<Exception>(() => down.AppendAsync(One("x"), new ProduceOptions()));
            var efflux = EffluxException.From(thrown);
            Assert.NotNull(efflux);
            Assert.Equal(EffluxError.Unavailable, efflux.Error);

            // Once the cluster knows the silo is dead, the refusal is the placement's own, typed, and quick.
            Assert.IsType<EffluxException>(thrown);
            return thrown;
        });
        Assert.Contains(victim.Name, error.Message, StringComparison.Ordinal);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await Assert.ThrowsAsync<EffluxException>(() => down.DescribeAsync());
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"refusal took {clock.Elapsed}");
        Assert.False(Directory.Exists(Path.Combine(_cluster.DataDirectoryOf(gatewaySilo.Name), "k", "t", lost.ToString(CultureInfo.InvariantCulture))));

        var up = _cluster.Client.GetGrain<IPartitionGrain>(GrainKeys.Partition("k", "t", kept));
        var result = await up.AppendAsync(One("still here"), new ProduceOptions());
        Assert.Equal(kept, result[0].Partition);
    }
}
