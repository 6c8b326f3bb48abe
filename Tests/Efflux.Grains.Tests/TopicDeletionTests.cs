using System.Text;

namespace Efflux.Grains.Tests;

/// <summary>Deleting a topic while its partitions are still being called leaves nothing of it behind.</summary>
public sealed class TopicDeletionTests : IClassFixture<TopicDeletionTests.Fixture>
{
    private readonly Fixture _cluster;

    public TopicDeletionTests(Fixture cluster) => _cluster = cluster;

    public sealed class Fixture : IAsyncLifetime
    {
        public TwoSiloCluster Silos { get; } = new(silo => silo.AddOutgoingGrainCallFilter<CallAgainWhileDeleting>());

        public Task InitializeAsync() => Silos.InitializeAsync();

        public Task DisposeAsync() => Silos.DisposeAsync();
    }

    /// <summary>
    /// A call that reaches a partition after it was deleted but before its topic forgot its configuration (a reader, or
    /// a live query syncing its output) starts it again, and it reopens its files: the topic deletes it a second time.
    /// </summary>
    [Fact]
    public async Task APartitionStartedAgainWhileItsTopicIsDeleted_DoesNotOutliveTheTopic()
    {
        var client = _cluster.Silos.Client;
        var topic = client.GetGrain<ITopicGrain>(GrainKeys.Topic("deleting", "t"));
        await topic.CreateOrUpdateAsync(new TopicConfig { Partitions = 1 });
        var key = GrainKeys.Partition("deleting", "t", 0);
        var partition = client.GetGrain<IPartitionGrain>(key);
        await partition.AppendAsync([new ProduceMessage { Payload = Encoding.UTF8.GetBytes("{}") }], new ProduceOptions());
        var home = (await topic.DescribeCreatedAsync()).Partitions[0].Silo;
        var directory = Path.Combine(_cluster.Silos.DataDirectoryOf(home), "deleting", "t", "0");
        Assert.True(Directory.Exists(directory));

        CallAgainWhileDeleting.Arm(key);
        await topic.DeleteAsync();

        Assert.True(CallAgainWhileDeleting.Answered(key), "the partition did not start again during the deletion, so this test staged nothing");
        var missing = await Assert.ThrowsAsync<EffluxException>(partition.DescribeAsync);
        Assert.Equal(EffluxError.TopicNotFound, missing.Error);
        Assert.False(Directory.Exists(directory), "the partition's files came back after its topic was deleted");
    }

    /// <summary>
    /// When a topic grain's delete of an armed partition has returned, calls that partition until a new activation of it
    /// answers (the deleted one has gone), before letting the topic go on and forget its configuration.
    /// </summary>
    private sealed class CallAgainWhileDeleting(IGrainFactory grains) : IOutgoingGrainCallFilter
    {
        private static readonly HashSet<string> Armed = [];
        private static readonly HashSet<string> Done = [];

        public static void Arm(string partition)
        {
            lock (Armed)
            {
                Armed.Add(partition);
            }
        }

        public static bool Answered(string partition)
        {
            lock (Armed)
            {
                return Done.Contains(partition);
            }
        }

        public async Task Invoke(IOutgoingGrainCallContext context)
        {
            await context.Invoke();
            var key = context.TargetId.Key.ToString()!;
            bool armed;
            lock (Armed)
            {
                armed = context.MethodName == nameof(IPartitionGrain.DeleteAsync) && Armed.Remove(key);
            }

            if (!armed)
            {
                return;
            }

            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
            while (DateTime.UtcNow < deadline)
            {
                try
                {
                    await grains.GetGrain<IPartitionGrain>(key).DescribeAsync();
                    lock (Armed)
                    {
                        Done.Add(key);
                    }

                    return;
                }
                catch (EffluxException ex) when (ex.Error == EffluxError.Unavailable)
                {
                    // The deleted activation, closed and on its way out.
                    await Task.Delay(20);
                }
            }
        }
    }
}
