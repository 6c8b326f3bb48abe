namespace Efflux.Silo.Api.Responses;

/// <summary>A topic: its configuration and, per partition, offsets, size, head and home silo.</summary>
/// <param name="Namespace">The namespace.</param>
/// <param name="Topic">The topic.</param>
/// <param name="Created">When the topic was created.</param>
/// <param name="Config">Its settings.</param>
/// <param name="Partitions">Each partition, by number.</param>
public sealed record TopicResponse(string Namespace, string Topic, DateTimeOffset Created, TopicConfigResponse Config, IReadOnlyList<PartitionInfo> Partitions)
{
    /// <summary>A topic as REST shows it.</summary>
    public static TopicResponse From(TopicInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        var config = info.Config;
        return new TopicResponse(
            info.Namespace,
            info.Topic,
            info.Created,
            new TopicConfigResponse(config.Partitions, config.RetentionAge is { } age ? Durations.Format(age) : null, config.RetentionBytes, config.MaxMessageBytes, config.SegmentBytes),
            info.Partitions);
    }
}

/// <summary>A topic's settings, in the units <c>PUT /v1/topics/{ns}/{topic}</c> takes.</summary>
/// <param name="Partitions">The partition count (fixed once created).</param>
/// <param name="Retention">Records older than this are deleted, whole segments at a time (absent: kept forever).</param>
/// <param name="RetentionBytes">The oldest segments are deleted while a partition is larger (absent: no limit).</param>
/// <param name="MaxMessageBytes">The largest payload a message may have.</param>
/// <param name="SegmentBytes">The size at which a segment file is sealed.</param>
public sealed record TopicConfigResponse(int Partitions, string? Retention, long? RetentionBytes, int MaxMessageBytes, long SegmentBytes);

/// <summary>The topics of a namespace.</summary>
/// <param name="Namespace">The namespace.</param>
/// <param name="Topics">Its topic names, sorted.</param>
public sealed record TopicListResponse(string Namespace, IReadOnlyList<string> Topics);

/// <summary>The namespaces that hold topics.</summary>
/// <param name="Namespaces">Their names, sorted.</param>
public sealed record NamespaceListResponse(IReadOnlyList<string> Namespaces);
