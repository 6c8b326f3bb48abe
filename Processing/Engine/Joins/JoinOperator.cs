using Efflux.Processing.Parsing;
using Efflux.Processing.Engine.Windows;
using Efflux.Processing.Syntax;

namespace Efflux.Processing.Engine.Joins;

/// <summary>
/// <c>FROM A WINDOW w1 JOIN B WINDOW w2 ON cond</c>: an arriving event of one side is matched against the events now
/// in the other side's window, one row per pair satisfying ON (and WHERE), pairs in arrival order of the other side's
/// events; then it enters its own window. An event belongs to the side whose stream name equals its
/// <c>_data_type</c> or, on a live query, the topic it was read from.
/// </summary>
public sealed class JoinOperator : IStatementOperator
{
    private readonly string _output;
    private readonly JoinSide _left;
    private readonly JoinSide _right;
    private readonly Compiled _on;
    private readonly Compiled? _where;
    private readonly RowProjection _select;
    private readonly JoinScope _scope;
    private readonly Watermark _watermark = new();

    /// <summary>Compiles the statement.</summary>
    public JoinOperator(Statement statement)
    {
        ArgumentNullException.ThrowIfNull(statement);
        var join = statement.Join ?? throw new ArgumentException("The statement has no JOIN.", nameof(statement));
        if (Analyzer.IsAggregating(statement))
        {
            throw new QueryException(statement.Position, "aggregates over a join are not supported yet");
        }

        _output = statement.Output;
        _left = new JoinSide(statement.From);
        _right = new JoinSide(join.Right);
        _scope = new JoinScope(_left.Names, _right.Names);
        _on = ExpressionCompiler.Compile(join.On);
        _where = statement.Where is null ? null : ExpressionCompiler.Compile(statement.Where);
        _select = RowProjection.WithoutStar(statement, "a join", "qualified attributes");
    }

    /// <inheritdoc />
    public long Late => _watermark.Late + _left.Late + _right.Late;

    /// <inheritdoc />
    public void OnEvent(Event e, IRowSink sink)
    {
        ArgumentNullException.ThrowIfNull(e);
        ArgumentNullException.ThrowIfNull(sink);
        var type = e.Get("_data_type");
        var isLeft = e.Stream == _left.Stream || (type.Kind == ValueKind.Text && type.AsText == _left.Stream);
        var isRight = e.Stream == _right.Stream || (type.Kind == ValueKind.Text && type.AsText == _right.Stream);
        if ((!isLeft && !isRight) || !_watermark.TryAdvance(e.Time))
        {
            return;
        }

        _left.Expire(e.Time);
        _right.Expire(e.Time);
        if (isLeft)
        {
            Probe(e, _right, eventIsLeft: true, sink);
            _left.Enter(e);
        }

        if (isRight)
        {
            Probe(e, _left, eventIsLeft: false, sink);
            _right.Enter(e);
        }
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
        _left.Save(writer);
        _right.Save(writer);
    }

    /// <inheritdoc />
    public void Load(State.StateReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        _watermark.Load(reader);
        _left.Load(reader);
        _right.Load(reader);
    }

    private void Probe(Event e, JoinSide other, bool eventIsLeft, IRowSink sink)
    {
        foreach (var candidate in other.Contents)
        {
            _scope.Left = eventIsLeft ? e : candidate;
            _scope.Right = eventIsLeft ? candidate : e;
            if (!_on(_scope).IsTrue || (_where is not null && !_where(_scope).IsTrue))
            {
                continue;
            }

            _select.Emit(sink, _output, _scope, e.Time);
        }
    }
}
