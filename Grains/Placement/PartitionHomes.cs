using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace Efflux.Grains.Placement;

/// <summary>
/// The home silo of each partition, read from the topic's stored state (<see cref="TopicState.Homes"/>) straight from
/// grain storage, so that placing a partition never waits on the topic grain's activation.
/// </summary>
internal sealed class PartitionHomes([FromKeyedServices(EffluxStorage.Name)] IGrainStorage storage)
{
    public async Task<string> HomeOfAsync(string ns, string topic, int partition)
    {
        var state = new GrainState<TopicState>();
        await storage.ReadStateAsync(TopicGrain.StateName, GrainId.Create(TopicGrain.GrainTypeName, GrainKeys.Topic(ns, topic)), state).ConfigureAwait(false);
        var config = state.State?.Config ?? throw EffluxException.NoTopic(ns, topic);
        if (partition < 0 || partition >= config.Partitions)
        {
            throw EffluxException.NoPartition(ns, topic, config.Partitions, partition);
        }

        return partition < state.State.Homes.Count
            ? state.State.Homes[partition]
            : throw EffluxException.Unavailable($"Partition unavailable: topic {ns}/{topic} records no home silo for partition {partition}.");
    }
}
