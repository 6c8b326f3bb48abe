namespace Efflux.Processing.Engine.Windows;

/// <summary>
/// The groups of one window instance, and the rows it emits: one per group, in order of the group's first appearance
/// in the input. Shared by every window type that aggregates; instances come from and go back to a
/// <see cref="GroupTable"/>.
/// </summary>
internal sealed class WindowGroups(GroupTable table)
{
    private readonly Dictionary<int, GroupState> _groups = [];

    public long FirstTime { get; private set; } = long.MaxValue;

    public long LastTime { get; private set; } = long.MinValue;

    public int Count => _groups.Count;

    /// <summary>The earliest first appearance among the groups (for a session, its one group's).</summary>
    public long FirstAppearance
    {
        get
        {
            var first = long.MaxValue;
            foreach (var slot in _groups.Keys)
            {
                first = Math.Min(first, table.FirstAppearance(slot));
            }

            return first;
        }
    }

    public void Add(Event e) => Add(table.SlotOf(e), e);

    /// <summary>Adds an event whose group slot the caller already knows.</summary>
    public void Add(int slot, Event e)
    {
        var group = table.LastState(slot, this);
        if (group is null && !_groups.TryGetValue(slot, out group))
        {
            group = Open(slot, e);
        }

        table.Plan.Add(group.Aggregators, e);
        FirstTime = Math.Min(FirstTime, e.Time);
        LastTime = Math.Max(LastTime, e.Time);
    }

    private GroupState Open(int slot, Event representative)
    {
        var group = table.Rent(slot, representative);
        group.Owner = this;
        _groups.Add(slot, group);
        return group;
    }

    /// <summary>Sliding windows: true while this pane is merged into the operator's running window.</summary>
    public bool Merged { get; private set; }

    /// <summary>Sliding windows: the start of this pane's interval, set when it is merged.</summary>
    public long PaneStart { get; private set; }

    /// <summary>
    /// Merges a pane into this running window. Panes come in time order, so a group new to the window takes its
    /// representative from this pane.
    /// </summary>
    public void AddPane(WindowGroups pane, long paneStart)
    {
        foreach (var (slot, other) in pane._groups)
        {
            if (!_groups.TryGetValue(slot, out var group))
            {
                group = Open(slot, other.Representative);
                group.RepresentativePane = paneStart;
            }

            group.Panes++;
            if (!group.Stale)
            {
                MergeAggregators(group, other);
            }
        }

        (pane.Merged, pane.PaneStart) = (true, paneStart);
    }

    /// <summary>
    /// Takes the oldest merged pane back out of this running window: a group it was the last pane of leaves; others
    /// subtract its aggregates where that is exact and are marked stale where it is not, and lose their representative if
    /// it came from this pane (<see cref="Refresh"/> settles both before the window emits).
    /// </summary>
    public void RemovePane(WindowGroups pane)
    {
        foreach (var (slot, other) in pane._groups)
        {
            var group = _groups[slot];
            if (--group.Panes == 0)
            {
                _groups.Remove(slot);
                table.Return(group);
                continue;
            }

            for (var i = 0; i < group.Aggregators.Length && !group.Stale; i++)
            {
                group.Stale = !group.Aggregators[i].TryUnmerge(other.Aggregators[i]);
            }

            if (group.RepresentativePane == pane.PaneStart)
            {
                group.RepresentativePane = long.MinValue;
            }
        }

        pane.Merged = false;
    }

    /// <summary>
    /// Before this running window emits: every group marked stale is rebuilt by merging its merged panes afresh, and
    /// every group without a representative takes its event from the earliest merged pane that holds it.
    /// </summary>
    public void Refresh(IList<WindowGroups> panes)
    {
        foreach (var group in _groups.Values)
        {
            var stale = group.Stale;
            var lost = group.RepresentativePane == long.MinValue;
            if (!stale && !lost)
            {
                continue;
            }

            if (stale)
            {
                foreach (var aggregator in group.Aggregators)
                {
                    aggregator.Reset();
                }
            }

            for (var p = 0; p < panes.Count; p++)
            {
                var pane = panes[p];
                if (!pane.Merged || !pane._groups.TryGetValue(group.Slot, out var other))
                {
                    continue;
                }

                if (lost)
                {
                    group.Represent(other.Representative, pane.PaneStart);
                    lost = false;
                }

                if (!stale)
                {
                    break;
                }

                MergeAggregators(group, other);
            }

            group.Stale = false;
        }
    }

    private static void MergeAggregators(GroupState group, GroupState later)
    {
        for (var i = 0; i < group.Aggregators.Length; i++)
        {
            group.Aggregators[i].Merge(later.Aggregators[i]);
        }
    }

    /// <summary>Hands every group state back to the table and forgets the times.</summary>
    public void Clear()
    {
        foreach (var group in _groups.Values)
        {
            table.Return(group);
        }

        _groups.Clear();
        FirstTime = long.MaxValue;
        LastTime = long.MinValue;
        Merged = false;
    }

    public void Save(State.StateWriter writer)
    {
        writer.Write(FirstTime);
        writer.Write(LastTime);
        writer.Write(_groups.Count);
        foreach (var group in _groups.Values)
        {
            writer.Write(group.Representative);
            Aggregation.AggregatePlan.Save(writer, group.Aggregators);
        }
    }

    /// <summary>Reads a window written by <see cref="Save"/>; the table's groups must be loaded first.</summary>
    public static WindowGroups Load(State.StateReader reader, GroupTable table)
    {
        var window = table.RentWindow();
        window.FirstTime = reader.ReadLong();
        window.LastTime = reader.ReadLong();
        var count = reader.ReadInt();
        for (var i = 0; i < count; i++)
        {
            var representative = reader.ReadEvent();
            var slot = table.SlotOf(representative);
            var group = window.Open(slot, representative);
            foreach (var aggregator in group.Aggregators)
            {
                aggregator.Load(reader);
            }

        }

        return window;
    }

    public void Emit(string output, long windowStart, long windowEnd, IRowSink sink)
    {
        foreach (var group in table.InAppearanceOrder(_groups.Values))
        {
            table.Plan.Row(sink, output, group.Representative, table.KeyAt(group.Slot), group.Aggregators, windowStart, windowEnd);
        }
    }
}
