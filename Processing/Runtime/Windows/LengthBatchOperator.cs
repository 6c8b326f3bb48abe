using Efflux.Processing.Runtime.Aggregation;
using Efflux.Processing.Syntax;

namespace Efflux.Processing.Runtime.Windows;

/// <summary>
/// LENGTHBATCH(n): consecutive blocks of n events (after WHERE). A full block emits one row per group; at end of input a
/// partial block emits too. window_start and window_end are the first and last event times of the block.
/// </summary>
public sealed class LengthBatchOperator : IStatementOperator
{
    private readonly long _size;
    private readonly string _output;
    private readonly Compiled? _where;
    private readonly AggregatePlan? _plan;
    private readonly FilterProjectOperator? _projection;
    private readonly EventScope _scope = new();
    private readonly Dictionary<GroupKey, long> _firstAppearance = [];
    private WindowGroups? _block;
    private long _count;

    /// <summary>Compiles the statement.</summary>
    public LengthBatchOperator(Statement statement)
    {
        ArgumentNullException.ThrowIfNull(statement);
        _size = statement.From.Window?.Count ?? throw new ArgumentException("The statement has no LENGTHBATCH window.", nameof(statement));
        _output = statement.Output;
        _where = statement.Where is null ? null : ExpressionCompiler.Compile(statement.Where);
        if (Parsing.Analyzer.IsAggregating(statement))
        {
            _plan = new AggregatePlan(statement);
        }
        else
        {
            _projection = new FilterProjectOperator(statement);
        }
    }

    /// <inheritdoc />
    public void OnEvent(Event e, Action<OutputRow> emit)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (_projection is not null)
        {
            _projection.OnEvent(e, emit);
            return;
        }

        _scope.Event = e;
        if (_where is not null && !_where(_scope).IsTrue)
        {
            return;
        }

        _block ??= new WindowGroups(_plan!, _firstAppearance);
        _block.Add(e);
        if (++_count == _size)
        {
            Close(emit);
        }
    }

    /// <inheritdoc />
    public void OnEnd(Action<OutputRow> emit) => Close(emit);

    private void Close(Action<OutputRow> emit)
    {
        if (_block is { Count: > 0 } block)
        {
            block.Emit(_output, block.FirstTime, block.LastTime, emit);
        }

        _block = null;
        _count = 0;
    }
}
