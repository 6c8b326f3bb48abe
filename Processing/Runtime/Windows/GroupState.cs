using Efflux.Processing.Runtime.Aggregation;

namespace Efflux.Processing.Runtime.Windows;

/// <summary>
/// One group inside one window: its slot in the operator's <see cref="GroupTable"/>, its first event there, and its
/// aggregators. Reused from window to window through the table's pool.
/// </summary>
internal sealed class GroupState(Aggregator[] aggregators)
{
    private Event? _representative;

    public int Slot { get; private set; }

    /// <summary>The window the state belongs to while in use.</summary>
    public WindowGroups? Owner { get; set; }

    public Event Representative => _representative ?? throw new InvalidOperationException("The group state is not in use.");

    public Aggregator[] Aggregators { get; } = aggregators;

    public void Start(int slot, Event representative)
    {
        Slot = slot;
        _representative = representative;
    }
}
