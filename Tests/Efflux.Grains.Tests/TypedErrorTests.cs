namespace Efflux.Grains.Tests;

/// <summary>Efflux errors cross the Orleans wire as <see cref="EffluxException"/> with their kind, from grain to grain to client.</summary>
public sealed class TypedErrorTests : IAsyncLifetime
{
    private readonly TwoSiloCluster _cluster = new();

    public Task InitializeAsync() => _cluster.InitializeAsync();

    public Task DisposeAsync() => _cluster.DisposeAsync();

    public static TheoryData<string, EffluxError> Cases => new()
    {
        { "missing topic, from the topic grain", EffluxError.TopicNotFound },
        { "missing topic, from a partition's placement", EffluxError.TopicNotFound },
        { "partition beyond the topic's count", EffluxError.NotFound },
        { "offset beyond the end", EffluxError.OffsetOutOfRange },
        { "partition count changed", EffluxError.Conflict },
        { "commit behind the committed offset", EffluxError.Conflict },
        { "commit for a missing topic, relayed by the group grain", EffluxError.TopicNotFound },
        { "invalid name", EffluxError.InvalidRequest },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task ErrorsArriveTyped(string what, EffluxError expected)
    {
        var client = _cluster.Client;
        await client.GetGrain<ITopicGrain>("e/t").CreateOrUpdateAsync(new TopicConfig { Partitions = 2 });
        await client.GetGrain<IPartitionGrain>(GrainKeys.Partition("e", "t", 0)).AppendAsync([new ProduceMessage { Payload = [1] }], new ProduceOptions());
        await client.GetGrain<IConsumerGroupGrain>("e/t/g").CommitAsync(0, 1);
        Task call = what switch
        {
            "missing topic, from the topic grain" => client.GetGrain<ITopicGrain>("e/none").GetConfigAsync(),
            "missing topic, from a partition's placement" => client.GetGrain<IPartitionGrain>(GrainKeys.Partition("e", "none", 0)).DescribeAsync(),
            "partition beyond the topic's count" => client.GetGrain<IPartitionGrain>(GrainKeys.Partition("e", "t", 5)).DescribeAsync(),
            "offset beyond the end" => client.GetGrain<IPartitionGrain>(GrainKeys.Partition("e", "t", 0)).FetchBatchAsync(99, 10, 1 << 20, TimeSpan.Zero, CancellationToken.None),
            "partition count changed" => client.GetGrain<ITopicGrain>("e/t").CreateOrUpdateAsync(new TopicConfig { Partitions = 3 }),
            "commit behind the committed offset" => client.GetGrain<IConsumerGroupGrain>("e/t/g").CommitAsync(0, 0),
            "commit for a missing topic, relayed by the group grain" => client.GetGrain<IConsumerGroupGrain>("e/none/g").CommitAsync(0, 0),
            "invalid name" => client.GetGrain<ITopicGrain>("e/bad name").GetConfigAsync(),
            _ => throw new ArgumentOutOfRangeException(nameof(what)),
        };
        var error = await Assert.ThrowsAsync<EffluxException>(() => call);
        Assert.Equal(expected, error.Error);
        Assert.DoesNotContain("efflux:", error.Message, StringComparison.Ordinal);
    }
}
