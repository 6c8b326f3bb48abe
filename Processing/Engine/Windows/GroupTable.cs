using Efflux.Processing.Engine.Aggregation;

namespace Efflux.Processing.Engine.Windows;

/// <summary>
/// Every group an operator has seen: each distinct GROUP BY key gets a slot number once, with the position of its first
/// appearance in the input (the order rows are emitted in). It also pools the per-window group states and window
/// containers that closed windows hand back, so that a steady stream of windows allocates nothing per group.
/// </summary>
internal sealed class GroupTable(AggregatePlan plan)
{
    private readonly Dictionary<GroupKey, int> _slots = [];

    // One-column text keys, the common case, by their text: a string-keyed dictionary hashes without randomisation
    // until it sees many collisions, and then switches to the randomised hash on its own.
    private readonly Dictionary<string, int> _textSlots = new(StringComparer.Ordinal);
    private readonly List<GroupKey> _keys = [];
    private readonly List<long> _firstAppearance = [];
    private readonly Stack<GroupState> _freeStates = new();
    private readonly Stack<WindowGroups> _freeWindows = new();

    // Per slot, the state it last opened: events of a group mostly go to the same window one after another.
    private readonly List<GroupState?> _lastState = [];

    // Scratch for ordering a closing window's groups by first appearance.
    private long[] _sortKeys = new long[16];
    private GroupState[] _sortItems = new GroupState[16];

    // Scratch for placing a closing window's groups by slot, and whether slot order is first-appearance order.
    private GroupState?[] _bySlot = new GroupState?[16];
    private bool _slotsInAppearanceOrder = true;

    public AggregatePlan Plan => plan;

    /// <summary>The slot of the event's group; a group seen for the first time gets the next slot.</summary>
    public int SlotOf(Event e)
    {
        var key = plan.ScratchKeyOf(e);
        if (key.LoneText is { } text ? _textSlots.TryGetValue(text, out var slot) : _slots.TryGetValue(key, out slot))
        {
            return slot;
        }

        return Register(key.Copy(), e.Sequence);
    }

    /// <summary>The state the slot last opened, if that is still the slot's state in <paramref name="window"/>.</summary>
    public GroupState? LastState(int slot, WindowGroups window) => _lastState[slot] is { } state && state.Owner == window && state.Slot == slot ? state : null;

    /// <summary>The GROUP BY values of a slot.</summary>
    public GroupKey KeyAt(int slot) => _keys[slot];

    /// <summary>The input position of the group's first event.</summary>
    public long FirstAppearance(int slot) => _firstAppearance[slot];

    /// <summary>A group state with fresh aggregators for a group entering a window.</summary>
    public GroupState Rent(int slot, Event representative)
    {
        var state = _freeStates.Count > 0 ? _freeStates.Pop() : new GroupState(plan.NewAggregators());
        state.Start(slot, representative);
        _lastState[slot] = state;
        return state;
    }

    /// <summary>Takes back a group state whose window closed.</summary>
    public void Return(GroupState state)
    {
        foreach (var aggregator in state.Aggregators)
        {
            aggregator.Reset();
        }

        state.Owner = null;
        _freeStates.Push(state);
    }

    /// <summary>An empty window.</summary>
    public WindowGroups RentWindow() => _freeWindows.Count > 0 ? _freeWindows.Pop() : new WindowGroups(this);

    /// <summary>Takes back a closed window with its group states.</summary>
    public void Return(WindowGroups window)
    {
        window.Clear();
        _freeWindows.Push(window);
    }

    /// <summary>
    /// <paramref name="states"/> sorted by their group's first appearance, in a scratch array that the next call
    /// reuses. While slots were handed out in order of first appearance (always, unless allowed lateness reordered the
    /// input) and the window holds a good share of all groups, the states are placed by slot and read back in slot
    /// order instead of sorted.
    /// </summary>
    public ReadOnlySpan<GroupState> InAppearanceOrder(Dictionary<int, GroupState>.ValueCollection states)
    {
        var count = states.Count;
        if (_sortKeys.Length < count)
        {
            _sortKeys = new long[Math.Max(count, _sortKeys.Length * 2)];
            _sortItems = new GroupState[_sortKeys.Length];
        }

        if (_slotsInAppearanceOrder && _keys.Count <= count * 8)
        {
            return BySlot(states);
        }

        var n = 0;
        foreach (var state in states)
        {
            _sortKeys[n] = _firstAppearance[state.Slot];
            _sortItems[n++] = state;
        }

        Array.Sort(_sortKeys, _sortItems, 0, n);
        return _sortItems.AsSpan(0, n);
    }

    private ReadOnlySpan<GroupState> BySlot(Dictionary<int, GroupState>.ValueCollection states)
    {
        if (_bySlot.Length < _keys.Count)
        {
            _bySlot = new GroupState?[Math.Max(_keys.Count, _bySlot.Length * 2)];
        }

        foreach (var state in states)
        {
            _bySlot[state.Slot] = state;
        }

        var n = 0;
        for (var slot = 0; slot < _keys.Count; slot++)
        {
            if (_bySlot[slot] is { } state)
            {
                _sortItems[n++] = state;
                _bySlot[slot] = null;
            }
        }

        return _sortItems.AsSpan(0, n);
    }

    /// <summary>Writes every group's key and first appearance.</summary>
    public void Save(State.StateWriter writer)
    {
        writer.Write(_keys.Count);
        for (var slot = 0; slot < _keys.Count; slot++)
        {
            AggregatePlan.SaveKey(writer, _keys[slot]);
            writer.Write(_firstAppearance[slot]);
        }
    }

    /// <summary>Replaces the groups with what <see cref="Save"/> wrote.</summary>
    public void Load(State.StateReader reader)
    {
        _slots.Clear();
        _textSlots.Clear();
        _keys.Clear();
        _firstAppearance.Clear();
        _lastState.Clear();
        _slotsInAppearanceOrder = true;
        var count = reader.ReadInt();
        for (var i = 0; i < count; i++)
        {
            var key = AggregatePlan.LoadKey(reader);
            Register(key, reader.ReadLong());
        }
    }

    private int Register(GroupKey key, long firstAppearance)
    {
        var slot = _keys.Count;
        _slotsInAppearanceOrder &= slot == 0 || firstAppearance > _firstAppearance[^1];
        if (key.LoneText is { } text)
        {
            _textSlots[text] = slot;
        }
        else
        {
            _slots[key] = slot;
        }

        _keys.Add(key);
        _firstAppearance.Add(firstAppearance);
        _lastState.Add(null);
        return slot;
    }
}
