using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Efflux.Grains;

/// <summary>The partitions each silo keeps, by topic: the budget <see cref="EffluxOptions.MaxPartitionsPerSilo"/> is checked here.</summary>
[Alias("efflux.budget")]
internal interface IPartitionBudgetGrain : IGrainWithStringKey
{
    /// <summary>Records a topic's partition homes, or refuses (<see cref="EffluxError.LimitExceeded"/>) when a silo would keep more than its budget.</summary>
    Task ReserveAsync(string topic, List<string> homes);

    /// <summary>Forgets a deleted topic's partitions.</summary>
    Task ReleaseAsync(string topic);
}

/// <summary>The persisted homes of every topic's partitions.</summary>
[GenerateSerializer]
[Alias("efflux.BudgetState")]
public sealed class BudgetState
{
    /// <summary>Partition homes (silo names) by topic key.</summary>
    [Id(0)] public Dictionary<string, List<string>> Homes { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>One per cluster (key <see cref="Key"/>); called only when topics are created or deleted.</summary>
[GrainType("efflux.budget")]
internal sealed partial class PartitionBudgetGrain(
    [PersistentState("budget", EffluxStorage.Name)] IPersistentState<BudgetState> state,
    IOptions<EffluxOptions> options,
    ILogger<PartitionBudgetGrain> logger) : Grain, IPartitionBudgetGrain
{
    /// <summary>The key of the cluster's budget grain.</summary>
    public const string Key = "cluster";

    public async Task ReserveAsync(string topic, List<string> homes)
    {
        ArgumentNullException.ThrowIfNull(homes);
        var kept = state.State.Homes.Where(t => t.Key != topic).SelectMany(t => t.Value).CountBy(h => h, StringComparer.Ordinal).ToDictionary(StringComparer.Ordinal);
        var limit = options.Value.MaxPartitionsPerSilo;
        foreach (var (silo, adding) in homes.CountBy(h => h, StringComparer.Ordinal))
        {
            var already = kept.GetValueOrDefault(silo);
            if (already + adding > limit)
            {
                LogRefused(logger, topic, adding, silo, already, limit);
                throw new EffluxException(EffluxError.LimitExceeded, $"Topic {topic} would put {adding} partitions on silo {silo}, which keeps {already}; a silo keeps at most {limit} (Efflux:MaxPartitionsPerSilo).");
            }
        }

        state.State.Homes[topic] = homes;
        await state.WriteStateAsync();
        LogReserved(logger, topic, homes.Count);
    }

    public async Task ReleaseAsync(string topic)
    {
        if (state.State.Homes.Remove(topic))
        {
            await state.WriteStateAsync();
            LogReleased(logger, topic);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Partition budget: {Partitions} partitions of topic {Topic} reserved")]
    private static partial void LogReserved(ILogger logger, string topic, int partitions);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Partition budget: topic {Topic} released")]
    private static partial void LogReleased(ILogger logger, string topic);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Partition budget: topic {Topic} refused, it would put {Adding} partitions on silo {Silo}, which keeps {Already} of at most {Limit} (Efflux:MaxPartitionsPerSilo)")]
    private static partial void LogRefused(ILogger logger, string topic, int adding, string silo, int already, int limit);
}
