using Efflux.Processing.Runtime.Aggregation;

namespace Efflux.Processing.Runtime.Windows;

/// <summary>One group inside one window: its first event there, its aggregators, and when the group first appeared in the input.</summary>
internal sealed class GroupState(Event representative, Aggregator[] aggregators, long firstAppearance)
{
    public Event Representative { get; } = representative;

    public Aggregator[] Aggregators { get; } = aggregators;

    public long FirstAppearance { get; } = firstAppearance;
}
