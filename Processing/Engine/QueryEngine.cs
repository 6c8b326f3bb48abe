using Efflux.Processing.Parsing;
using Efflux.Processing.Engine.Windows;
using Efflux.Processing.Syntax;

namespace Efflux.Processing.Engine;

/// <summary>
/// Runs checked statements over one input stream: every event goes to every statement, in input order. Not
/// thread-safe: one caller pushes events.
/// </summary>
public sealed class QueryEngine
{
    private readonly IStatementOperator[] _operators;
    private readonly ReorderBuffer _reorder;
    private readonly Action<Event> _dispatch;
    private readonly RowCollector _collector = new();
    private IRowSink _sink;

    /// <summary>Builds the operators of the statements.</summary>
    /// <exception cref="QueryException">A statement uses a construct this engine does not run yet.</exception>
    /// <param name="statements">Checked statements.</param>
    /// <param name="allowedLateness">How far (in event time) an event may trail the largest time seen and still count;
    /// such events are held and released in time order, which delays output by at most this much. Default 0.</param>
    public QueryEngine(IReadOnlyList<Statement> statements, TimeSpan allowedLateness = default)
    {
        ArgumentNullException.ThrowIfNull(statements);
        ArgumentOutOfRangeException.ThrowIfLessThan(allowedLateness, TimeSpan.Zero);
        _reorder = new ReorderBuffer((long)allowedLateness.TotalMilliseconds);
        _dispatch = Dispatch;
        _sink = _collector;
        _operators = [.. statements.Select(Build)];
        Outputs = [.. statements.Select(s => s.Output).Distinct()];
    }

    /// <summary>The distinct output names, in statement order.</summary>
    public IReadOnlyList<string> Outputs { get; }

    /// <summary>The query's late statistic: events dropped as late, over all statements.</summary>
    public long Late => _reorder.Late + _operators.Sum(o => o.Late);

    /// <summary>
    /// The state of every operator as bytes. Taken between two events, together with the input position it reflects, a
    /// snapshot lets a fresh engine of the same query continue with exactly the rows an uninterrupted run would emit.
    /// </summary>
    public byte[] Snapshot()
    {
        using var buffer = new MemoryStream();
        using (var writer = new State.StateWriter(buffer))
        {
            writer.Write(SnapshotMagic);
            writer.Write(Shape);
            _reorder.Save(writer);
            foreach (var op in _operators)
            {
                op.Save(writer);
            }
        }

        return buffer.ToArray();
    }

    /// <summary>Replaces the state with a <see cref="Snapshot"/> of an engine built from the same statements.</summary>
    /// <exception cref="InvalidDataException">The snapshot is damaged or comes from another query.</exception>
    public void Restore(byte[] snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        try
        {
            using var reader = new State.StateReader(new MemoryStream(snapshot, writable: false));
            if (reader.ReadString() != SnapshotMagic || reader.ReadString() != Shape)
            {
                throw new InvalidDataException("The snapshot was taken from a different query.");
            }

            _reorder.Load(reader);
            foreach (var op in _operators)
            {
                op.Load(reader);
            }
        }
        catch (EndOfStreamException ex)
        {
            throw new InvalidDataException("The snapshot is truncated.", ex);
        }
    }

    private const string SnapshotMagic = "efflux-query-state/v1";

    /// <summary>What a snapshot must match: the operators and outputs, in order.</summary>
    private string Shape => string.Join(';', _operators.Select(o => o.GetType().Name)) + "|" + string.Join(';', Outputs);

    /// <summary>Processes one event (after the allowed-lateness reordering, if any); each row it emits becomes an <see cref="OutputRow"/>.</summary>
    public void Push(Event e, Action<OutputRow> emit)
    {
        _collector.Target = emit;
        Push(e, _collector);
    }

    /// <summary>Processes one event, handing rows to <paramref name="sink"/> without a row object per row.</summary>
    public void Push(Event e, IRowSink sink)
    {
        _sink = sink;
        _reorder.Push(e, _dispatch);
    }

    /// <summary>Ends the input: held events are released, then every open window closes and emits.</summary>
    public void End(Action<OutputRow> emit)
    {
        _collector.Target = emit;
        End(_collector);
    }

    /// <summary>Ends the input, handing rows to <paramref name="sink"/>.</summary>
    public void End(IRowSink sink)
    {
        _sink = sink;
        _reorder.Flush(_dispatch);
        foreach (var op in _operators)
        {
            op.OnEnd(sink);
        }
    }

    private void Dispatch(Event e)
    {
        foreach (var op in _operators)
        {
            op.OnEvent(e, _sink);
        }
    }

    private static IStatementOperator Build(Statement s)
    {
        var unsupported = s.From.Window is { Kind: WindowKind.Delay } d && Analyzer.IsAggregating(s) ? (d.Position, "aggregates over DELAY windows")
            : s.From.Window is null && Analyzer.IsAggregating(s) ? (s.Position, "aggregation without a window")
            : default((SourcePosition, string)?);
        if (unsupported is { } u)
        {
            throw new QueryException(u.Item1, $"{u.Item2} are parsed and checked but this engine version does not run them yet");
        }

        if (s.Pattern is not null)
        {
            return new Patterns.PatternOperator(s);
        }

        if (s.Join is not null)
        {
            return new Joins.JoinOperator(s);
        }

        return s.From.Window switch
        {
            null => new FilterProjectOperator(s),
            { Kind: WindowKind.LengthBatch } => new LengthBatchOperator(s),
            { Kind: WindowKind.Session } => new SessionWindowOperator(s),
            { Kind: WindowKind.Length or WindowKind.Time or WindowKind.ExternalTime } => new ContinuousWindowOperator(s),
            { Kind: WindowKind.Delay } => new DelayOperator(s),
            _ => new IntervalWindowOperator(s),
        };
    }
}
