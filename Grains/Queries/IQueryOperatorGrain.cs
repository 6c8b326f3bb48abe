namespace Efflux.Grains.Queries;

/// <summary>
/// One key shard of a live query: subscribes to every source partition through the Efflux stream provider, merges
/// them by event time up to the watermark, runs the EffluxQL engine, and writes rows to the output topics exactly once.
/// Key: <c>{ns}/{name}/{shard}</c>.
/// </summary>
[Alias("efflux.query-operator")]
public interface IQueryOperatorGrain : IGrainWithStringKey
{
    /// <summary>Starts (or, for the plan's generation, resumes) reading.</summary>
    Task StartAsync(QueryPlan plan);

    /// <summary>Stops reading and saves its state.</summary>
    Task StopAsync();

    /// <summary>Stops reading and removes its state.</summary>
    Task DeleteAsync();

    /// <summary>Its progress.</summary>
    Task<OperatorStatus> StatusAsync();
}
