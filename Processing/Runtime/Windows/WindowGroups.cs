using Efflux.Processing.Runtime.Aggregation;

namespace Efflux.Processing.Runtime.Windows;

/// <summary>
/// The groups of one window instance, and the rows it emits: one per group, in order of the group's first appearance
/// in the input. Shared by every window type that aggregates.
/// </summary>
internal sealed class WindowGroups(AggregatePlan plan, Dictionary<GroupKey, long> firstAppearance, int expectedGroups = 0)
{
    // Sized from the previous window of the same operator, so that a window does not rehash its way up.
    private readonly Dictionary<GroupKey, GroupState> _groups = new(expectedGroups);

    public long FirstTime { get; private set; } = long.MaxValue;

    public long LastTime { get; private set; } = long.MinValue;

    public int Count => _groups.Count;

    /// <summary>The earliest first appearance among the groups (for a session, its one group's).</summary>
    public long FirstAppearance => _groups.Count == 0 ? long.MaxValue : _groups.Values.Min(g => g.FirstAppearance);

    public void Add(Event e)
    {
        var key = plan.ScratchKeyOf(e);
        if (!_groups.TryGetValue(key, out var group))
        {
            key = key.Copy();
            if (!firstAppearance.TryGetValue(key, out var first))
            {
                first = e.Sequence;
                firstAppearance[key] = first;
            }

            group = new GroupState(e, plan.NewAggregators(), first);
            _groups[key] = group;
        }

        plan.Add(group.Aggregators, e);
        FirstTime = Math.Min(FirstTime, e.Time);
        LastTime = Math.Max(LastTime, e.Time);
    }

    /// <summary>The groups with their keys (for merging sliding-window panes).</summary>
    public IEnumerable<KeyValuePair<GroupKey, GroupState>> Entries => _groups;

    public void Save(State.StateWriter writer)
    {
        writer.Write(FirstTime);
        writer.Write(LastTime);
        writer.Write(_groups.Count);
        foreach (var group in _groups.Values)
        {
            writer.Write(group.Representative);
            writer.Write(group.FirstAppearance);
            AggregatePlan.Save(writer, group.Aggregators);
        }
    }

    public static WindowGroups Load(State.StateReader reader, AggregatePlan plan, Dictionary<GroupKey, long> firstAppearance)
    {
        var groups = new WindowGroups(plan, firstAppearance) { FirstTime = reader.ReadLong(), LastTime = reader.ReadLong() };
        var count = reader.ReadInt();
        for (var i = 0; i < count; i++)
        {
            var representative = reader.ReadEvent();
            var first = reader.ReadLong();
            groups._groups[plan.KeyOf(representative)] = new GroupState(representative, plan.LoadAggregators(reader), first);
        }

        return groups;
    }

    public void Emit(string output, long windowStart, long windowEnd, Action<OutputRow> emit)
    {
        var ordered = new GroupState[_groups.Count];
        _groups.Values.CopyTo(ordered, 0);
        Array.Sort(ordered, static (a, b) => a.FirstAppearance.CompareTo(b.FirstAppearance));
        foreach (var group in ordered)
        {
            if (plan.Row(output, group.Representative, group.Aggregators, windowStart, windowEnd) is { } row)
            {
                emit(row);
            }
        }
    }
}
