namespace Efflux.Processing.Runtime.Windows;

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

    /// <summary>Folds in a window that covered later events (a sliding window merging its panes in time order).</summary>
    public void Merge(WindowGroups later)
    {
        foreach (var (slot, other) in later._groups)
        {
            if (!_groups.TryGetValue(slot, out var group))
            {
                group = Open(slot, other.Representative);
            }

            for (var i = 0; i < group.Aggregators.Length; i++)
            {
                group.Aggregators[i].Merge(other.Aggregators[i]);
            }
        }

        FirstTime = Math.Min(FirstTime, later.FirstTime);
        LastTime = Math.Max(LastTime, later.LastTime);
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
            table.Plan.Row(sink, output, group.Representative, group.Aggregators, windowStart, windowEnd);
        }
    }
}
