using Efflux.Processing.Engine.Aggregation;

namespace Efflux.Processing.Engine.Windows;

/// <summary>
/// One group inside one window: its slot in the operator's <see cref="GroupTable"/>, its first event there, and its
/// aggregators. Reused from window to window through the table's pool. In a sliding window's running merge of panes it
/// also counts the panes it is in and remembers which pane its representative event came from.
/// </summary>
internal sealed class GroupState(Aggregator[] aggregators)
{
    private Event? _representative;

    public int Slot { get; private set; }

    /// <summary>The window the state belongs to while in use.</summary>
    public WindowGroups? Owner { get; set; }

    public Event Representative => _representative ?? throw new InvalidOperationException("The group state is not in use.");

    public Aggregator[] Aggregators { get; } = aggregators;

    /// <summary>Running merge only: the panes merged in that hold the group.</summary>
    public int Panes { get; set; }

    /// <summary>Running merge only: the start of the pane the representative came from.</summary>
    public long RepresentativePane { get; set; }

    /// <summary>Running merge only: a pane taken out could not be subtracted exactly; the aggregators need a rebuild.</summary>
    public bool Stale { get; set; }

    public void Start(int slot, Event representative)
    {
        Slot = slot;
        _representative = representative;
        Panes = 0;
        Stale = false;
    }

    public void Represent(Event representative, long pane)
    {
        _representative = representative;
        RepresentativePane = pane;
    }
}
