namespace Efflux.Processing.Engine.Windows;

/// <summary>
/// SESSION(gap): per group, events whose successive times differ by less than the gap. A session emits one row when
/// the watermark reaches its last event time + gap; window_start is its first event time and window_end its last
/// event time + gap. Late events (below the watermark) are counted and dropped.
/// </summary>
public sealed class SessionWindowOperator : IStatementOperator
{
    private readonly WindowedStatement _statement;
    private readonly long _gap;
    private readonly GroupTable? _table;
    private readonly Dictionary<int, Session> _open = [];
    private readonly SortedSet<Session> _byEnd = new(SessionOrder.Instance);
    private readonly Watermark _watermark = new();
    private long _created;

    /// <summary>Compiles the statement.</summary>
    public SessionWindowOperator(Syntax.Statement statement)
    {
        _statement = new WindowedStatement(statement);
        _gap = _statement.Window.Size!.Value;
        _table = _statement.Plan is { } plan ? new GroupTable(plan) : null;
    }

    /// <summary>Events dropped as late.</summary>
    public long Late => _watermark.Late;

    /// <inheritdoc />
    public void OnEvent(Event e, IRowSink sink)
    {
        if (!_statement.Admit(e, _watermark, sink))
        {
            return;
        }

        // Close what this event's time ends first: an event exactly one gap after a session's last event starts a new one.
        EmitUpTo(_watermark.Current, sink);
        if (!_statement.Passes(e))
        {
            return;
        }

        var slot = _table!.SlotOf(e);
        if (_open.TryGetValue(slot, out var session))
        {
            _byEnd.Remove(session);
        }
        else
        {
            session = new Session(slot, _table.RentWindow(), _created++);
            _open[slot] = session;
        }

        session.Groups.Add(slot, e);
        _byEnd.Add(session);
    }

    /// <inheritdoc />
    public void OnEnd(IRowSink sink) => EmitUpTo(long.MaxValue, sink);

    /// <inheritdoc />
    public void Save(State.StateWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        _watermark.Save(writer);
        if (_table is null)
        {
            return;
        }

        _table.Save(writer);
        writer.Write(_created);
        writer.Write(_open.Count);
        foreach (var session in _open.Values)
        {
            writer.Write(session.Id);
            writer.Write(session.Slot);
            session.Groups.Save(writer);
        }
    }

    /// <inheritdoc />
    public void Load(State.StateReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        _watermark.Load(reader);
        if (_table is null)
        {
            return;
        }

        _table.Load(reader);
        _created = reader.ReadLong();
        foreach (var open in _open.Values)
        {
            _table.Return(open.Groups);
        }

        _open.Clear();
        _byEnd.Clear();
        var count = reader.ReadInt();
        for (var i = 0; i < count; i++)
        {
            var id = reader.ReadLong();
            var slot = reader.ReadInt();
            var session = new Session(slot, WindowGroups.Load(reader, _table), id);
            _open[slot] = session;
            _byEnd.Add(session);
        }
    }

    private void EmitUpTo(long watermark, IRowSink sink)
    {
        while (_byEnd.Count > 0 && _byEnd.Min!.Groups.LastTime + _gap <= watermark)
        {
            var session = _byEnd.Min;
            _byEnd.Remove(session);
            _open.Remove(session.Slot);
            session.Groups.Emit(_statement.Output, session.Groups.FirstTime, session.Groups.LastTime + _gap, sink);
            _table!.Return(session.Groups);
        }
    }

    private sealed class Session(int slot, WindowGroups groups, long id)
    {
        public int Slot { get; } = slot;

        public WindowGroups Groups { get; } = groups;

        public long Id { get; } = id;
    }

    /// <summary>Window end, then window start, then creation order (which follows the group's first appearance).</summary>
    private sealed class SessionOrder : IComparer<Session>
    {
        public static SessionOrder Instance { get; } = new();

        public int Compare(Session? x, Session? y)
        {
            var c = x!.Groups.LastTime.CompareTo(y!.Groups.LastTime);
            if (c == 0)
            {
                c = x.Groups.FirstTime.CompareTo(y.Groups.FirstTime);
            }

            return c != 0 ? c : x.Groups.FirstAppearance.CompareTo(y.Groups.FirstAppearance) is var f && f != 0 ? f : x.Id.CompareTo(y.Id);
        }
    }
}
