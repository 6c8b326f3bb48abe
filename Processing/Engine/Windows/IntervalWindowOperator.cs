using Efflux.Processing.Syntax;

namespace Efflux.Processing.Engine.Windows;

/// <summary>
/// TUMBLING, SLIDING and TIMEBATCH: event-time intervals that close when the watermark (the largest event time seen)
/// reaches their end. An event below the watermark is late: counted and dropped. Rows emitted by one watermark advance
/// are ordered by window end, window start, then group first appearance. SLIDING keeps one pane per gcd(size, slide)
/// of time: each event is aggregated once, into its pane, and a running merge of the panes of the current window moves
/// with it: a closing window merges in only the panes that entered since the last one, and the pane that leaves is
/// subtracted where that is exact (COUNT; SUM and AVG over whole numbers) and merged afresh for the groups where it is
/// not. The running merge is derived state: a snapshot leaves it out and a restored operator rebuilds it.
/// </summary>
public sealed class IntervalWindowOperator : IStatementOperator
{
    private readonly WindowedStatement _statement;
    // Few windows are open at once (one for TUMBLING, size/gcd panes for SLIDING): a sorted list reads its first entry
    // without allocating.
    private readonly SortedList<(long End, long Start), WindowGroups> _open = [];
    private readonly GroupTable? _table;
    private readonly Watermark _watermark = new();
    private long? _origin;

    // The interval the previous event went to: in-order events mostly land in the same one.
    private (long End, long Start) _lastInterval = (long.MinValue, long.MinValue);
    private WindowGroups? _lastGroups;

    // SLIDING: the pane width, and the number k of the next window [k·slide, k·slide + size) to sink.
    private readonly long _pane;
    private long? _nextWindow;
    private WindowGroups? _running;

    /// <summary>Compiles the statement.</summary>
    public IntervalWindowOperator(Statement statement)
    {
        _statement = new WindowedStatement(statement);
        _table = _statement.Plan is { } plan ? new GroupTable(plan) : null;
        if (_statement.Window.Kind == WindowKind.Sliding)
        {
            _pane = (long)System.Numerics.BigInteger.GreatestCommonDivisor(_statement.Window.Size!.Value, _statement.Window.Slide!.Value);
        }
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

        if (_statement.Passes(e))
        {
            if (_statement.Window.Kind == WindowKind.Sliding)
            {
                var start = TimeMath.FloorDiv(e.Time, _pane) * _pane;
                _nextWindow ??= TimeMath.FloorDiv(e.Time - _statement.Window.Size!.Value, _statement.Window.Slide!.Value) + 1;
                GroupsOf((start + _pane, start)).Add(e);
            }
            else
            {
                GroupsOf(SingleInterval(e.Time)).Add(e);
            }
        }

        EmitUpTo(_watermark.Current, sink);
    }

    /// <inheritdoc />
    public void OnEnd(IRowSink sink) => EmitUpTo(long.MaxValue, sink);

    /// <inheritdoc />
    public void Save(State.StateWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        _watermark.Save(writer);
        writer.Write(_origin is not null);
        writer.Write(_origin ?? 0);
        writer.Write(_nextWindow is not null);
        writer.Write(_nextWindow ?? 0);
        if (_table is null)
        {
            return;
        }

        _table.Save(writer);
        writer.Write(_open.Count);
        foreach (var ((end, start), groups) in _open)
        {
            writer.Write(end);
            writer.Write(start);
            groups.Save(writer);
        }
    }

    /// <inheritdoc />
    public void Load(State.StateReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        _watermark.Load(reader);
        var hasOrigin = reader.ReadBool();
        var origin = reader.ReadLong();
        _origin = hasOrigin ? origin : null;
        var hasNext = reader.ReadBool();
        var next = reader.ReadLong();
        _nextWindow = hasNext ? next : null;
        if (_table is null)
        {
            return;
        }

        _table.Load(reader);
        foreach (var groups in _open.Values)
        {
            _table.Return(groups);
        }

        if (_running is not null)
        {
            _table.Return(_running);
            _running = null;
        }

        _open.Clear();
        _lastGroups = null;
        var count = reader.ReadInt();
        for (var i = 0; i < count; i++)
        {
            var end = reader.ReadLong();
            var start = reader.ReadLong();
            _open[(end, start)] = WindowGroups.Load(reader, _table);
        }
    }

    private void EmitUpTo(long watermark, IRowSink sink)
    {
        if (_statement.Window.Kind == WindowKind.Sliding)
        {
            EmitSlidingUpTo(watermark, sink);
            return;
        }

        while (_open.Count > 0)
        {
            var (end, start) = _open.Keys[0];
            if (end > watermark)
            {
                return;
            }

            var groups = _open.Values[0];
            _open.RemoveAt(0);
            if (ReferenceEquals(groups, _lastGroups))
            {
                _lastGroups = null;
            }

            groups.Emit(_statement.Output, start, end, sink);
            _table!.Return(groups);
        }
    }

    private WindowGroups GroupsOf((long End, long Start) interval)
    {
        if (interval == _lastInterval && _lastGroups is not null)
        {
            return _lastGroups;
        }

        if (!_open.TryGetValue(interval, out var groups))
        {
            groups = _table!.RentWindow();
            _open[interval] = groups;
        }

        (_lastInterval, _lastGroups) = (interval, groups);
        return groups;
    }

    /// <summary>The one interval of a TUMBLING or TIMEBATCH window that contains <paramref name="t"/>.</summary>
    private (long End, long Start) SingleInterval(long t)
    {
        var size = _statement.Window.Size!.Value;
        var origin = _statement.Window.Kind == WindowKind.TimeBatch ? _origin ??= t : 0;
        var start = origin + (TimeMath.FloorDiv(t - origin, size) * size);
        return (start + size, start);
    }

    /// <summary>Emits every sliding window that ends by the watermark from the running merge; drops (and subtracts) panes no later window needs.</summary>
    private void EmitSlidingUpTo(long watermark, IRowSink sink)
    {
        var size = _statement.Window.Size!.Value;
        var slide = _statement.Window.Slide!.Value;
        while (_open.Count > 0 && _nextWindow is { } k)
        {
            var start = k * slide;
            var end = start + size;
            if (end > watermark)
            {
                return;
            }

            var firstPane = _open.Keys[0];
            if (firstPane.Start >= end)
            {
                // Nothing in this window: jump to the first window that holds the earliest pane.
                _nextWindow = TimeMath.FloorDiv(firstPane.Start - size, slide) + 1;
                continue;
            }

            var running = _running ??= _table!.RentWindow();
            for (var i = 0; i < _open.Count; i++)
            {
                var (pane, groups) = (_open.Keys[i], _open.Values[i]);
                if (pane.Start >= end)
                {
                    break;
                }

                if (pane.Start >= start && !groups.Merged)
                {
                    running.AddPane(groups, pane.Start);
                }
            }

            running.Refresh(_open.Values);
            running.Emit(_statement.Output, start, end, sink);

            _nextWindow = k + 1;
            while (_open.Count > 0 && _open.Keys[0].End <= (k + 1) * slide)
            {
                var drop = _open.Values[0];
                _open.RemoveAt(0);
                if (ReferenceEquals(drop, _lastGroups))
                {
                    _lastGroups = null;
                }

                if (drop.Merged)
                {
                    running.RemovePane(drop);
                }

                _table!.Return(drop);
            }
        }
    }
}
