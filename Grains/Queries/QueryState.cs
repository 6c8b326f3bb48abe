namespace Efflux.Grains.Queries;

/// <summary>A live query's persisted definition and plan.</summary>
[GenerateSerializer]
[Alias("efflux.QueryState")]
public sealed class QueryState
{
    /// <summary>The plan of shard 0 (the others differ only in <see cref="QueryPlan.Shard"/>); null when there is no query.</summary>
    [Id(0)] public QueryPlan? Plan { get; set; }

    /// <summary>True while started.</summary>
    [Id(1)] public bool Running { get; set; }

    /// <summary>When it was created.</summary>
    [Id(2)] public DateTimeOffset Created { get; set; }
}
