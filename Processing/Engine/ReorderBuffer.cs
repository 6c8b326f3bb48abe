namespace Efflux.Processing.Engine;

/// <summary>
/// Allowed lateness: events up to L behind the watermark (the largest event time seen) are held and released in
/// event-time order (arrival order among equal times) once the watermark passes them by L, so every operator still
/// sees time that never goes backwards; an event more than L behind is late: counted and dropped. With L = 0 every
/// event that is not late is released at once. Not thread-safe: owned by one engine.
/// </summary>
public sealed class ReorderBuffer(long allowedLateness)
{
    private readonly PriorityQueue<Event, (long Time, long Sequence)> _held = new();
    private long _watermark = long.MinValue;

    /// <summary>Events dropped as more than the allowed lateness behind the watermark.</summary>
    public long Late { get; private set; }

    /// <summary>Takes an event and releases, in time order, every held event the watermark has passed by L.</summary>
    public void Push(Event e, Action<Event> release)
    {
        ArgumentNullException.ThrowIfNull(e);
        ArgumentNullException.ThrowIfNull(release);
        if (_watermark != long.MinValue && e.Time < _watermark - allowedLateness)
        {
            Late++;
            return;
        }

        _watermark = Math.Max(_watermark, e.Time);
        if (allowedLateness == 0)
        {
            // Nothing is ever held: an event that is not late is the newest, and goes straight through.
            release(e);
            return;
        }

        _held.Enqueue(e, (e.Time, e.Sequence));
        while (_held.TryPeek(out var next, out var key) && key.Time <= _watermark - allowedLateness)
        {
            _held.Dequeue();
            release(next);
        }
    }

    /// <summary>End of input: releases everything still held, in time order.</summary>
    public void Flush(Action<Event> release)
    {
        ArgumentNullException.ThrowIfNull(release);
        while (_held.TryDequeue(out var next, out _))
        {
            release(next);
        }
    }

    /// <summary>Writes the watermark, the late count and the held events.</summary>
    public void Save(State.StateWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(_watermark);
        writer.Write(Late);
        var held = _held.UnorderedItems.Select(i => i.Element).OrderBy(e => e.Time).ThenBy(e => e.Sequence).ToList();
        writer.Write(held.Count);
        foreach (var e in held)
        {
            writer.Write(e);
        }
    }

    /// <summary>Reads what <see cref="Save"/> wrote.</summary>
    public void Load(State.StateReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        _watermark = reader.ReadLong();
        Late = reader.ReadLong();
        _held.Clear();
        var count = reader.ReadInt();
        for (var i = 0; i < count; i++)
        {
            var e = reader.ReadEvent();
            _held.Enqueue(e, (e.Time, e.Sequence));
        }
    }
}
