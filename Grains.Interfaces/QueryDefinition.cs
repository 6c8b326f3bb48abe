namespace Efflux;

/// <summary>What <c>PUT /v1/queries/{ns}/{name}</c> creates.</summary>
[GenerateSerializer]
[Alias("efflux.QueryDefinition")]
public sealed class QueryDefinition
{
    /// <summary>The EffluxQL text.</summary>
    [Id(0)] public string Text { get; set; } = "";

    /// <summary>Where it starts reading.</summary>
    [Id(1)] public QueryStart Start { get; set; } = QueryStart.Earliest;

    /// <summary>
    /// Operator grains for a query keyed by GROUP BY attributes (null: the silo's default); other queries run in one.
    /// </summary>
    [Id(2)] public int? Shards { get; set; }

    /// <summary>How long a partition without new records is left out of the watermark (null: the silo's default).</summary>
    [Id(3)] public TimeSpan? IdleTimeout { get; set; }
}
