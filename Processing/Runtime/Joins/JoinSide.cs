using Efflux.Processing.Parsing;
using Efflux.Processing.Syntax;

namespace Efflux.Processing.Runtime.Joins;

/// <summary>
/// One side of a join and the events now in its window, oldest first: the last n (LENGTH), those within (t − d, t]
/// (TIME), those of the current interval (TUMBLING, TIMEBATCH) or of the current block (LENGTHBATCH). A side without a
/// window keeps nothing: its events only probe the other side.
/// </summary>
internal sealed class JoinSide
{
    private readonly WindowSpec? _window;
    private readonly Queue<Event> _events = new();

    // TIMEBATCH: the time of the first event that entered this side, where its intervals start.
    private long? _origin;

    public JoinSide(StreamSource source)
    {
        _window = source.Window;
        if (_window is { Kind: not (WindowKind.Length or WindowKind.Time or WindowKind.Tumbling or WindowKind.TimeBatch or WindowKind.LengthBatch) })
        {
            throw new QueryException(_window.Position, $"{_window.Kind.ToString().ToUpperInvariant()} windows are not supported on a join side yet (use LENGTH, TIME, TUMBLING, TIMEBATCH or LENGTHBATCH)");
        }

        Stream = source.Name;
        Names = new HashSet<string>(StringComparer.Ordinal) { source.Name, source.ReferenceName };
    }

    public string Stream { get; }

    public IReadOnlySet<string> Names { get; }

    /// <summary>The events in the window now, oldest first.</summary>
    public IEnumerable<Event> Contents => _events;

    /// <summary>Moves time to <paramref name="now"/>: what the window no longer holds at that time leaves.</summary>
    public void Expire(long now)
    {
        long? keepFrom = _window switch
        {
            { Kind: WindowKind.Time, Size: { } d } => now - d + 1,
            { Kind: WindowKind.Tumbling, Size: { } d } => TimeMath.FloorDiv(now, d) * d,
            { Kind: WindowKind.TimeBatch, Size: { } d } when _origin is { } origin => origin + (TimeMath.FloorDiv(now - origin, d) * d),
            _ => null,
        };
        while (keepFrom is { } from && _events.Count > 0 && _events.Peek().Time < from)
        {
            _events.Dequeue();
        }
    }

    public void Save(State.StateWriter writer)
    {
        writer.Write(_origin is not null);
        writer.Write(_origin ?? 0);
        writer.Write(_events.Count);
        foreach (var e in _events)
        {
            writer.Write(e);
        }
    }

    public void Load(State.StateReader reader)
    {
        var hasOrigin = reader.ReadBool();
        var origin = reader.ReadLong();
        _origin = hasOrigin ? origin : null;
        _events.Clear();
        var count = reader.ReadInt();
        for (var i = 0; i < count; i++)
        {
            _events.Enqueue(reader.ReadEvent());
        }
    }

    public void Enter(Event e)
    {
        if (_window is null)
        {
            return;
        }

        _origin ??= e.Time;
        if (_window.Kind == WindowKind.LengthBatch && _events.Count == _window.Count)
        {
            // The block is full: the next event starts a new one.
            _events.Clear();
        }

        _events.Enqueue(e);
        if (_window.Kind == WindowKind.Length && _events.Count > _window.Count)
        {
            _events.Dequeue();
        }
    }
}
