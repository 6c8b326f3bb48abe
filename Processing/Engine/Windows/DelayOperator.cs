using Efflux.Processing.Syntax;

namespace Efflux.Processing.Engine.Windows;

/// <summary>
/// DELAY(d): every event that passes WHERE is held back and emitted unchanged (projected by the select list) once the
/// watermark reaches its time + d; at end of input everything still held is emitted.
/// </summary>
public sealed class DelayOperator : IStatementOperator
{
    private readonly long _delay;
    private readonly FilterProjectOperator _projection;
    private readonly Queue<Event> _held = new();
    private readonly Watermark _watermark = new();

    /// <summary>Compiles the statement.</summary>
    public DelayOperator(Statement statement)
    {
        ArgumentNullException.ThrowIfNull(statement);
        _delay = statement.From.Window?.Size ?? throw new ArgumentException("The statement has no DELAY window.", nameof(statement));
        _projection = new FilterProjectOperator(statement);
    }

    /// <summary>Events dropped as late.</summary>
    public long Late => _watermark.Late;

    /// <inheritdoc />
    public void OnEvent(Event e, IRowSink sink)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (!_watermark.TryAdvance(e.Time))
        {
            return;
        }

        Release(_watermark.Current, sink);
        _held.Enqueue(e);
    }

    /// <inheritdoc />
    public void OnEnd(IRowSink sink) => Release(long.MaxValue, sink);

    /// <inheritdoc />
    public void Save(State.StateWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        _watermark.Save(writer);
        writer.Write(_held.Count);
        foreach (var e in _held)
        {
            writer.Write(e);
        }
    }

    /// <inheritdoc />
    public void Load(State.StateReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        _watermark.Load(reader);
        _held.Clear();
        var count = reader.ReadInt();
        for (var i = 0; i < count; i++)
        {
            _held.Enqueue(reader.ReadEvent());
        }
    }

    private void Release(long watermark, IRowSink sink)
    {
        while (_held.Count > 0 && (watermark == long.MaxValue || _held.Peek().Time + _delay <= watermark))
        {
            _projection.OnEvent(_held.Dequeue(), sink);
        }
    }
}
