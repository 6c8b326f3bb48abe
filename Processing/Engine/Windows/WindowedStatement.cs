using Efflux.Processing.Parsing;
using Efflux.Processing.Engine.Aggregation;
using Efflux.Processing.Syntax;

namespace Efflux.Processing.Engine.Windows;

/// <summary>
/// What every window operator compiles from its statement: the WHERE filter, and either the aggregation plan or, for a
/// windowed query without aggregates, the per-event projection.
/// </summary>
internal sealed class WindowedStatement
{
    private readonly Compiled? _where;
    private readonly EventScope _scope = new();

    public WindowedStatement(Statement statement)
    {
        ArgumentNullException.ThrowIfNull(statement);
        Window = statement.From.Window ?? throw new ArgumentException("The statement has no window.", nameof(statement));
        Output = statement.Output;
        _where = statement.Where is null ? null : ExpressionCompiler.Compile(statement.Where);
        if (Analyzer.IsAggregating(statement))
        {
            Plan = new AggregatePlan(statement);
        }
        else
        {
            Projection = new FilterProjectOperator(statement);
        }
    }

    public WindowSpec Window { get; }

    public string Output { get; }

    /// <summary>The aggregation, or null for a query without aggregates.</summary>
    public AggregatePlan? Plan { get; }

    /// <summary>The per-event projection (with its own WHERE), or null for an aggregating query.</summary>
    public FilterProjectOperator? Projection { get; }

    /// <summary>
    /// The common start of an event-time window's turn: drops a late event, hands an event of a query without aggregates
    /// to the projection, and returns true only when the aggregation should take the event.
    /// </summary>
    public bool Admit(Event e, Watermark watermark, IRowSink sink)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (!watermark.TryAdvance(e.Time))
        {
            return false;
        }

        if (Projection is { } projection)
        {
            projection.OnEvent(e, sink);
            return false;
        }

        return true;
    }

    /// <summary>True when the event passes WHERE and enters the window.</summary>
    public bool Passes(Event e)
    {
        if (!e.Counts)
        {
            return false;
        }

        if (_where is null)
        {
            return true;
        }

        _scope.Event = e;
        return _where(_scope).IsTrue;
    }
}
