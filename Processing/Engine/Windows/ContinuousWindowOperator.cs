using Efflux.Processing.Engine.Aggregation;
using Efflux.Processing.Syntax;

namespace Efflux.Processing.Engine.Windows;

/// <summary>
/// LENGTH(n), TIME(d) and EXTERNALTIME(attr, d): windows that move with every event. Each entering event first pushes
/// out what no longer belongs (the oldest beyond n events; events at or before t − d), then joins its group, and one row
/// is emitted for that group over its events still in the window. Aggregates are updated incrementally, never
/// recomputed: each event is added once and removed once. window_start and window_end are the oldest and newest
/// times in the window.
/// </summary>
public sealed class ContinuousWindowOperator : IStatementOperator
{
    private readonly WindowedStatement _statement;
    private readonly Queue<(Event Event, GroupKey Key, long Time)> _contents = new();
    private readonly Dictionary<GroupKey, (Aggregator[] Aggregators, int Count)> _groups = [];
    private readonly Watermark _watermark = new();

    /// <summary>Compiles the statement.</summary>
    public ContinuousWindowOperator(Statement statement)
    {
        _statement = new WindowedStatement(statement);
    }

    /// <summary>Events dropped as late.</summary>
    public long Late => _watermark.Late;

    /// <inheritdoc />
    public void OnEvent(Event e, IRowSink sink)
    {
        ArgumentNullException.ThrowIfNull(e);
        ArgumentNullException.ThrowIfNull(sink);
        var window = _statement.Window;
        long time = e.Time;
        if (window.Kind == WindowKind.ExternalTime)
        {
            if (Event.TimeOf(e.Get(window.TimeAttribute!)) is not { } external)
            {
                _watermark.CountUnreadable();
                return;
            }

            time = external;
        }

        if (window.Kind != WindowKind.Length && !_watermark.TryAdvance(time))
        {
            return;
        }

        if (_statement.Projection is { } projection)
        {
            projection.OnEvent(e, sink);
            return;
        }

        if (!_statement.Passes(e))
        {
            return;
        }

        var plan = _statement.Plan!;
        var key = plan.KeyOf(e);
        Expire(window.Kind == WindowKind.Length ? null : time - window.Size!.Value, plan);
        _contents.Enqueue((e, key, time));
        var (aggregators, count) = _groups.TryGetValue(key, out var g) ? g : (plan.NewAggregators(), 0);
        plan.Add(aggregators, e);
        _groups[key] = (aggregators, count + 1);
        if (window.Kind == WindowKind.Length && _contents.Count > window.Count)
        {
            RemoveOldest(plan);
        }

        plan.Row(sink, _statement.Output, e, key, aggregators, _contents.Peek().Time, time, rowTime: e.Time);
    }

    /// <inheritdoc />
    public void OnEnd(IRowSink sink)
    {
    }

    /// <inheritdoc />
    public void Save(State.StateWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        _watermark.Save(writer);
        if (_statement.Plan is null)
        {
            return;
        }

        writer.Write(_contents.Count);
        foreach (var (e, _, time) in _contents)
        {
            writer.Write(e);
            writer.Write(time);
        }

        writer.Write(_groups.Count);
        foreach (var (key, (aggregators, count)) in _groups)
        {
            AggregatePlan.SaveKey(writer, key);
            writer.Write(count);
            AggregatePlan.Save(writer, aggregators);
        }
    }

    /// <inheritdoc />
    public void Load(State.StateReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        _watermark.Load(reader);
        if (_statement.Plan is not { } plan)
        {
            return;
        }

        _contents.Clear();
        var events = reader.ReadInt();
        for (var i = 0; i < events; i++)
        {
            var e = reader.ReadEvent();
            _contents.Enqueue((e, plan.KeyOf(e), reader.ReadLong()));
        }

        _groups.Clear();
        var groups = reader.ReadInt();
        for (var i = 0; i < groups; i++)
        {
            var key = AggregatePlan.LoadKey(reader);
            var count = reader.ReadInt();
            _groups[key] = (plan.LoadAggregators(reader), count);
        }
    }

    /// <summary>Removes events at or before <paramref name="boundary"/> (time windows keep (t − d, t]).</summary>
    private void Expire(long? boundary, AggregatePlan plan)
    {
        while (boundary is { } b && _contents.Count > 0 && _contents.Peek().Time <= b)
        {
            RemoveOldest(plan);
        }
    }

    private void RemoveOldest(AggregatePlan plan)
    {
        var (old, key, _) = _contents.Dequeue();
        var (aggregators, count) = _groups[key];
        plan.Remove(aggregators, old);
        if (count == 1)
        {
            _groups.Remove(key);
        }
        else
        {
            _groups[key] = (aggregators, count - 1);
        }
    }
}
