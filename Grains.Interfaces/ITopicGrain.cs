using Orleans.Concurrency;

namespace Efflux.Grains;

/// <summary>A topic: configuration and routing of appends to partitions. Key: <c>{ns}/{topic}</c>.</summary>
[Alias("efflux.topic")]
public interface ITopicGrain : IGrainWithStringKey
{
    /// <summary>Creates the topic, or changes retention and limits of an existing one (its partition count is fixed).</summary>
    /// <returns>True when the topic was created.</returns>
    [Requires(Permissions.Admin)]
    Task<bool> CreateOrUpdateAsync(TopicConfig config);

    /// <summary>The configuration; <see cref="EffluxError.TopicNotFound"/> when the topic does not exist.</summary>
    [AlwaysInterleave]
    [Requires(Permissions.Read | Permissions.Write)]
    Task<TopicConfig> GetConfigAsync();

    /// <summary>The configuration, creating the topic with the silo's defaults first when that is allowed (producers).</summary>
    [Requires(Permissions.Write)]
    Task<TopicConfig> EnsureAsync();

    /// <summary>Configuration and per-partition state.</summary>
    [Requires(Permissions.Read)]
    Task<TopicInfo> DescribeAsync();

    /// <summary>
    /// The description of a topic as it is created: every partition empty, on its home silo. Opens no partition (a
    /// partition opens when it is first used).
    /// </summary>
    [Requires(Permissions.Read)]
    Task<TopicInfo> DescribeCreatedAsync();

    /// <summary>Deletes the topic and all its data.</summary>
    [Requires(Permissions.Admin)]
    Task DeleteAsync();
}
