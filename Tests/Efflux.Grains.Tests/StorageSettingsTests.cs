namespace Efflux.Grains.Tests;

/// <summary>The silo's storage settings reach the partitions' logs.</summary>
public sealed class StorageSettingsTests : IAsyncLifetime
{
    private const long ZeroAhead = 8 << 10;

    private readonly TwoSiloCluster _cluster = new(silo => silo.Configure<EffluxOptions>(o => o.ZeroAheadBytes = ZeroAhead));

    public Task InitializeAsync() => _cluster.InitializeAsync();

    public Task DisposeAsync() => _cluster.DisposeAsync();

    [Fact]
    public async Task ZeroAheadBytes_SetsHowManyZerosFollowTheLastRecord()
    {
        Assert.True(await _cluster.Client.GetGrain<ITopicGrain>("z/t").CreateOrUpdateAsync(new TopicConfig { Partitions = 1 }));
        var partition = _cluster.Client.GetGrain<IPartitionGrain>(GrainKeys.Partition("z", "t", 0));
        for (var i = 0; i < 5; i++)
        {
            await partition.AppendAsync([new ProduceMessage { Payload = System.Text.Encoding.UTF8.GetBytes("m" + i) }], new ProduceOptions());
        }

        var home = (await partition.DescribeAsync()).Silo;
        var file = Directory.GetFiles(Path.Combine(_cluster.DataDirectoryOf(home), "z", "t", "0"), "*.log").Single();

        // The zeros are written just after an acknowledgement: this many, not the engine's default 256 KiB.
        await Eventually.WaitUntil(() => ZerosAtTheEnd(file) > 0);
        Assert.InRange(ZerosAtTheEnd(file), 1, ZeroAhead);
    }

    private static long ZerosAtTheEnd(string file)
    {
        var bytes = File.ReadAllBytes(file);
        return bytes.Length - (bytes.AsSpan().LastIndexOfAnyExcept((byte)0) + 1);
    }
}
