using Efflux.Processing.Parsing;
using Efflux.Processing.Syntax;

namespace Efflux.Processing.Engine.Joins;

/// <summary>
/// One side of a join and the events now in its window, oldest first: the last n (LENGTH), those within (t − d, t]
/// (TIME, and EXTERNALTIME with t the largest attribute time this side has seen), those of the current interval
/// (TUMBLING, TIMEBATCH), those of every SLIDING interval still open at t, the current block (LENGTHBATCH) or the
/// current session (SESSION: it ends once t reaches its last event time + gap). A side without a window keeps nothing:
/// its events only probe the other side. DELAY holds events back instead of keeping a window, so it is refused.
/// </summary>
internal sealed class JoinSide
{
    private readonly WindowSpec? _window;
    private readonly Queue<(Event Event, long Time)> _events = new();

    // TIMEBATCH: the time of the first event that entered this side, where its intervals start.
    private long? _origin;

    // EXTERNALTIME: the largest attribute time that entered this side.
    private long _latest = long.MinValue;

    // SESSION: the time of the last event that entered this side.
    private long _last;

    public JoinSide(StreamSource source)
    {
        _window = source.Window;
        if (_window is { Kind: WindowKind.Delay })
        {
            throw new QueryException(_window.Position, "DELAY holds events back instead of keeping a window of them, so it cannot be a join side (use TIME for the events of the last d)");
        }

        Stream = source.Name;
        Names = new HashSet<string>(StringComparer.Ordinal) { source.Name, source.ReferenceName };
    }

    public string Stream { get; }

    public IReadOnlySet<string> Names { get; }

    /// <summary>EXTERNALTIME: events whose attribute time was unreadable or behind the side's latest, kept out.</summary>
    public long Late { get; private set; }

    /// <summary>The events in the window now, oldest first.</summary>
    public IEnumerable<Event> Contents => _events.Select(static entry => entry.Event);

    /// <summary>Moves time to <paramref name="now"/>: what the window no longer holds at that time leaves.</summary>
    public void Expire(long now)
    {
        long? keepFrom = _window switch
        {
            { Kind: WindowKind.Time, Size: { } d } => now - d + 1,
            { Kind: WindowKind.Tumbling, Size: { } d } => TimeMath.FloorDiv(now, d) * d,
            { Kind: WindowKind.TimeBatch, Size: { } d } when _origin is { } origin => origin + (TimeMath.FloorDiv(now - origin, d) * d),

            // The oldest interval [k·slide, k·slide + size) that still contains now.
            { Kind: WindowKind.Sliding, Size: { } size, Slide: { } slide } => (TimeMath.FloorDiv(now - size, slide) + 1) * slide,
            { Kind: WindowKind.Session, Size: { } gap } when _events.Count > 0 && now - _last >= gap => long.MaxValue,
            _ => null,
        };
        Drop(keepFrom);
    }

    private void Drop(long? keepFrom)
    {
        while (keepFrom is { } from && _events.Count > 0 && _events.Peek().Time < from)
        {
            _events.Dequeue();
        }
    }

    public void Save(State.StateWriter writer)
    {
        writer.Write(_origin is not null);
        writer.Write(_origin ?? 0);
        writer.Write(_latest);
        writer.Write(_last);
        writer.Write(Late);
        writer.Write(_events.Count);
        foreach (var (e, time) in _events)
        {
            writer.Write(e);
            writer.Write(time);
        }
    }

    public void Load(State.StateReader reader)
    {
        var hasOrigin = reader.ReadBool();
        var origin = reader.ReadLong();
        _origin = hasOrigin ? origin : null;
        _latest = reader.ReadLong();
        _last = reader.ReadLong();
        Late = reader.ReadLong();
        _events.Clear();
        var count = reader.ReadInt();
        for (var i = 0; i < count; i++)
        {
            var e = reader.ReadEvent();
            _events.Enqueue((e, reader.ReadLong()));
        }
    }

    public void Enter(Event e)
    {
        if (_window is null)
        {
            return;
        }

        var time = e.Time;
        if (_window.Kind == WindowKind.ExternalTime)
        {
            if (Event.TimeOf(e.Get(_window.TimeAttribute!)) is not { } external)
            {
                // Without a readable time the event has no place in this window.
                Late++;
                return;
            }

            if (external < _latest)
            {
                // Behind this side's attribute time: late, as in an EXTERNALTIME window.
                Late++;
                return;
            }

            time = external;
            _latest = external;
            Drop(_latest - _window.Size!.Value + 1);
        }

        _origin ??= e.Time;
        _last = e.Time;
        if (_window.Kind == WindowKind.LengthBatch && _events.Count == _window.Count)
        {
            // The block is full: the next event starts a new one.
            _events.Clear();
        }

        _events.Enqueue((e, time));
        if (_window.Kind == WindowKind.Length && _events.Count > _window.Count)
        {
            _events.Dequeue();
        }
    }
}
