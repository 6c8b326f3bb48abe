namespace Efflux.Silo.Ui;

/// <summary>One look at the cluster, taken by <see cref="UiSampler"/>: the silos, every topic with its groups, every live query.</summary>
internal sealed record UiSample(DateTimeOffset Time, IReadOnlyList<UiSilo> Silos, IReadOnlyList<UiTopic> Topics, IReadOnlyList<QueryInfo> Queries)
{
    /// <summary>A topic by its namespace and name, when it was there.</summary>
    public UiTopic? Topic(string ns, string topic) => Topics.FirstOrDefault(t => t.Info.Namespace == ns && t.Info.Topic == topic);

    /// <summary>A query by its namespace and name, when it was there.</summary>
    public QueryInfo? Query(string ns, string name) => Queries.FirstOrDefault(q => q.Namespace == ns && q.Name == name);
}

/// <summary>A silo of the membership table.</summary>
internal sealed record UiSilo(string Name, string Endpoint, string Status, DateTimeOffset Heartbeat, bool Self);

/// <summary>A topic, its totals over partitions, and its consumer groups.</summary>
internal sealed record UiTopic(TopicInfo Info, IReadOnlyList<GroupInfo> Groups)
{
    /// <summary>Records appended so far (the sum of the partitions' next offsets).</summary>
    public long Appended => Info.Partitions.Sum(p => p.NextOffset);

    /// <summary>Records handed to readers since the partitions opened.</summary>
    public long Read => Info.Partitions.Sum(p => p.RecordsRead);

    /// <summary>Records still stored.</summary>
    public long Stored => Info.Partitions.Sum(p => p.NextOffset - p.StartOffset);

    /// <summary>Bytes on disk.</summary>
    public long Bytes => Info.Partitions.Sum(p => p.Bytes);
}
