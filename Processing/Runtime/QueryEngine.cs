using Efflux.Processing.Parsing;
using Efflux.Processing.Runtime.Windows;
using Efflux.Processing.Syntax;

namespace Efflux.Processing.Runtime;

/// <summary>
/// Runs checked statements over one input stream: every event goes to every statement, in input order. Not
/// thread-safe: one caller pushes events.
/// </summary>
public sealed class QueryEngine
{
    private readonly IStatementOperator[] _operators;

    /// <summary>Builds the operators of the statements.</summary>
    /// <exception cref="QueryException">A statement uses a construct this engine does not run yet.</exception>
    public QueryEngine(IReadOnlyList<Statement> statements)
    {
        ArgumentNullException.ThrowIfNull(statements);
        _operators = [.. statements.Select(Build)];
        Outputs = [.. statements.Select(s => s.Output).Distinct()];
    }

    /// <summary>The distinct output names, in statement order.</summary>
    public IReadOnlyList<string> Outputs { get; }

    /// <summary>The query's late statistic: events dropped as late, over all statements.</summary>
    public long Late => _operators.Sum(o => o.Late);

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

    /// <summary>Processes one event.</summary>
    public void Push(Event e, Action<OutputRow> emit)
    {
        foreach (var op in _operators)
        {
            op.OnEvent(e, emit);
        }
    }

    /// <summary>Ends the input: every open window closes and emits.</summary>
    public void End(Action<OutputRow> emit)
    {
        foreach (var op in _operators)
        {
            op.OnEnd(emit);
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
