namespace Efflux.Grains.Queries;

/// <summary>What an operator grain runs: the query, its sources and start positions, and which key shard it is.</summary>
[GenerateSerializer]
[Alias("efflux.QueryPlan")]
public sealed class QueryPlan
{
    /// <summary>The namespace.</summary>
    [Id(0)] public string Namespace { get; set; } = "";

    /// <summary>The query name.</summary>
    [Id(1)] public string Name { get; set; } = "";

    /// <summary>The EffluxQL text.</summary>
    [Id(2)] public string Text { get; set; } = "";

    /// <summary>Identifies one creation of the query: a query deleted and created again starts afresh.</summary>
    [Id(3)] public string Generation { get; set; } = "";

    /// <summary>Operator grains of the query.</summary>
    [Id(4)] public int Shards { get; set; } = 1;

    /// <summary>This operator's shard, from 0.</summary>
    [Id(5)] public int Shard { get; set; }

    /// <summary>The GROUP BY attributes events are sharded by (empty with one shard).</summary>
    [Id(6)] public List<string> ShardKeys { get; set; } = [];

    /// <summary>The source partitions in merge order (ties in event time go to the earlier one).</summary>
    [Id(7)] public List<SourcePartition> Sources { get; set; } = [];

    /// <summary>The outputs (topics of the namespace).</summary>
    [Id(8)] public List<string> Outputs { get; set; } = [];

    /// <summary>How long a partition without new records is left out of the watermark.</summary>
    [Id(9)] public TimeSpan IdleTimeout { get; set; }

    /// <summary><c>{ns}/{name}</c>.</summary>
    public string Query => Namespace + "/" + Name;

    /// <summary>This plan for the operator of shard <paramref name="shard"/>.</summary>
    public QueryPlan ForShard(int shard) => new()
    {
        Namespace = Namespace,
        Name = Name,
        Text = Text,
        Generation = Generation,
        Shards = Shards,
        Shard = shard,
        ShardKeys = ShardKeys,
        Sources = Sources,
        Outputs = Outputs,
        IdleTimeout = IdleTimeout,
    };
}
