using Orleans.Concurrency;

namespace Efflux.Grains;

/// <summary>Committed offsets of a consumer group of one topic. Key: <c>{ns}/{topic}/{group}</c>.</summary>
[Alias("efflux.group")]
public interface IConsumerGroupGrain : IGrainWithStringKey
{
    /// <summary>Commits <paramref name="offset"/> (the next offset to read) for a partition; never moves backwards.</summary>
    [Requires(Permissions.Read)]
    Task<long> CommitAsync(int partition, long offset);

    /// <summary>The committed offsets by partition.</summary>
    [ReadOnly]
    [Requires(Permissions.Read)]
    Task<Dictionary<int, long>> GetCommittedAsync();

    /// <summary>Committed offsets, ends and lag of every partition.</summary>
    [ReadOnly]
    [Requires(Permissions.Read)]
    Task<GroupInfo> DescribeAsync();
}
