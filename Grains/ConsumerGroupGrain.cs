using Efflux.Storage;
using Microsoft.Extensions.Logging;

namespace Efflux.Grains;

/// <summary>The persisted offsets of a consumer group.</summary>
[GenerateSerializer]
[Alias("efflux.GroupState")]
public sealed class GroupState
{
    /// <summary>Committed offset (the next to read) by partition.</summary>
    [Id(0)] public Dictionary<int, long> Committed { get; set; } = [];
}

/// <summary>A consumer group's committed offsets: written durably, never moving backwards.</summary>
[GrainType("efflux.group")]
internal sealed partial class ConsumerGroupGrain([PersistentState("group", EffluxStorage.Name)] IPersistentState<GroupState> state, GroupLagMetrics metrics, ILogger<ConsumerGroupGrain> logger) : Grain, IConsumerGroupGrain
{
    private string _ns = "";
    private string _topic = "";
    private string _group = "";
    private bool _listed;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var parts = GrainKeys.Split(this.GetPrimaryKeyString());
        if (parts.Length != 3 || parts.Any(p => !StorageNames.IsValid(p)))
        {
            throw EffluxException.Invalid($"'{this.GetPrimaryKeyString()}' is not namespace/topic/group of valid names ({StorageNames.Rule}).");
        }

        (_ns, _topic, _group) = (parts[0], parts[1], parts[2]);
        return Task.CompletedTask;
    }

    public async Task<long> CommitAsync(int partition, long offset)
    {
        var config = await GrainFactory.GetGrain<ITopicGrain>(GrainKeys.Topic(_ns, _topic)).GetConfigAsync();
        if (partition < 0 || partition >= config.Partitions)
        {
            throw EffluxException.NoPartition(_ns, _topic, config.Partitions, partition);
        }

        var end = (await Partition(partition).DescribeAsync()).NextOffset;
        if (offset < 0 || offset > end)
        {
            throw new EffluxException(EffluxError.OffsetOutOfRange, $"Cannot commit offset {offset} for partition {partition}: it ends at {end}.");
        }

        if (state.State.Committed.TryGetValue(partition, out var committed))
        {
            if (offset < committed)
            {
                LogBackwards(logger, _ns, _topic, _group, partition, committed, offset);
                throw new EffluxException(EffluxError.Conflict, $"Group {_group} has committed {committed} for partition {partition}; a commit never moves backwards.");
            }

            if (offset == committed)
            {
                return committed;
            }
        }

        state.State.Committed[partition] = offset;
        await state.WriteStateAsync();
        metrics.Report(_ns, _topic, _group, partition, end - offset);
        LogCommitted(logger, _ns, _topic, _group, partition, offset, end - offset);
        if (!_listed)
        {
            // Once per activation (idempotent): groups that committed before the catalog existed are listed too.
            await GrainFactory.GetGrain<IGroupCatalogGrain>(GrainKeys.Topic(_ns, _topic)).AddAsync(_group);
            _listed = true;
        }

        return offset;
    }

    public Task<Dictionary<int, long>> GetCommittedAsync() => Task.FromResult(new Dictionary<int, long>(state.State.Committed));

    public async Task<GroupInfo> DescribeAsync()
    {
        var config = await GrainFactory.GetGrain<ITopicGrain>(GrainKeys.Topic(_ns, _topic)).GetConfigAsync();
        var infos = await Task.WhenAll(Enumerable.Range(0, config.Partitions).Select(p => Partition(p).DescribeAsync()));
        var info = new GroupInfo { Group = _group };
        foreach (var p in infos)
        {
            long? committed = state.State.Committed.TryGetValue(p.Partition, out var c) ? c : null;
            var lag = p.NextOffset - Math.Max(committed ?? 0, p.StartOffset);
            info.Partitions.Add(new GroupPartition { Partition = p.Partition, Committed = committed, End = p.NextOffset, Lag = lag });
            metrics.Report(_ns, _topic, _group, p.Partition, lag);
            info.Lag += lag;
        }

        return info;
    }

    private IPartitionGrain Partition(int partition) => GrainFactory.GetGrain<IPartitionGrain>(GrainKeys.Partition(_ns, _topic, partition));

    [LoggerMessage(Level = LogLevel.Debug, Message = "Group {Namespace}/{Topic}/{Group} committed offset {Offset} of partition {Partition} (lag {Lag})")]
    private static partial void LogCommitted(ILogger logger, string @namespace, string topic, string group, int partition, long offset, long lag);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Group {Namespace}/{Topic}/{Group} refused a commit of {Offset} for partition {Partition}, behind its committed {Committed} (two consumers of one group on one partition?)")]
    private static partial void LogBackwards(ILogger logger, string @namespace, string topic, string group, int partition, long committed, long offset);
}
