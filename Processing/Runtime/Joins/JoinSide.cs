using Efflux.Processing.Parsing;
using Efflux.Processing.Syntax;

namespace Efflux.Processing.Runtime.Joins;

/// <summary>
/// One side of a join and the events in its window: the last n (LENGTH) or those within (t − d, t] (TIME), oldest
/// first. A side without a window keeps nothing: its events only probe the other side.
/// </summary>
internal sealed class JoinSide
{
    private readonly WindowSpec? _window;
    private readonly Queue<Event> _events = new();

    public JoinSide(StreamSource source)
    {
        _window = source.Window;
        if (_window is { Kind: not (WindowKind.Length or WindowKind.Time) })
        {
            throw new QueryException(_window.Position, $"{_window.Kind.ToString().ToUpperInvariant()} windows are not supported on a join side yet (use LENGTH or TIME)");
        }

        Stream = source.Name;
        Names = new HashSet<string>(StringComparer.Ordinal) { source.Name, source.ReferenceName };
    }

    public string Stream { get; }

    public IReadOnlySet<string> Names { get; }

    /// <summary>The events in the window now, oldest first.</summary>
    public IEnumerable<Event> Contents => _events;

    /// <summary>Moves time to <paramref name="now"/>: events at or before now − d leave a TIME window.</summary>
    public void Expire(long now)
    {
        if (_window is { Kind: WindowKind.Time, Size: { } d })
        {
            while (_events.Count > 0 && _events.Peek().Time <= now - d)
            {
                _events.Dequeue();
            }
        }
    }

    public void Save(State.StateWriter writer)
    {
        writer.Write(_events.Count);
        foreach (var e in _events)
        {
            writer.Write(e);
        }
    }

    public void Load(State.StateReader reader)
    {
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

        _events.Enqueue(e);
        if (_window.Kind == WindowKind.Length && _events.Count > _window.Count)
        {
            _events.Dequeue();
        }
    }
}
