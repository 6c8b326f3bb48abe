namespace Efflux;

/// <summary>A live query as <c>GET /v1/queries/{ns}/{name}</c> describes it.</summary>
[GenerateSerializer]
[Alias("efflux.QueryInfo")]
public sealed class QueryInfo
{
    /// <summary>The namespace.</summary>
    [Id(0)] public string Namespace { get; set; } = "";

    /// <summary>The query name.</summary>
    [Id(1)] public string Name { get; set; } = "";

    /// <summary>The EffluxQL text.</summary>
    [Id(2)] public string Text { get; set; } = "";

    /// <summary><c>running</c>, <c>stopped</c> or <c>failed</c>.</summary>
    [Id(3)] public string Status { get; set; } = "";

    /// <summary>The output topics (of the same namespace).</summary>
    [Id(4)] public List<string> Outputs { get; set; } = [];

    /// <summary>Progress per source partition.</summary>
    [Id(5)] public List<QuerySourceInfo> Sources { get; set; } = [];

    /// <summary>Input records taken into windows, over all operators.</summary>
    [Id(6)] public long EventsIn { get; set; }

    /// <summary>Rows written to the outputs.</summary>
    [Id(7)] public long RowsOut { get; set; }

    /// <summary>The query's watermark (epoch ms): the smallest of its partitions' greatest event times; null before any event.</summary>
    [Id(8)] public long? Watermark { get; set; }

    /// <summary>Events dropped as late.</summary>
    [Id(9)] public long Late { get; set; }

    /// <summary>Records whose payload is not a JSON object, left out.</summary>
    [Id(10)] public long Unreadable { get; set; }

    /// <summary>The last error, or null.</summary>
    [Id(11)] public string? LastError { get; set; }

    /// <summary>Operator grains.</summary>
    [Id(12)] public int Shards { get; set; }

    /// <summary>The GROUP BY attributes the operators are keyed by (empty: one operator).</summary>
    [Id(13)] public List<string> ShardKeys { get; set; } = [];

    /// <summary>When the query was created.</summary>
    [Id(14)] public DateTimeOffset Created { get; set; }
}
