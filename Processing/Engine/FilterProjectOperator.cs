using System.Runtime.InteropServices;
using Efflux.Processing.Syntax;

namespace Efflux.Processing.Engine;

/// <summary>A statement without window, join or pattern: WHERE, then the select list, one row per passing event.</summary>
public sealed class FilterProjectOperator : IStatementOperator
{
    private readonly string _output;
    private readonly Compiled? _where;
    private readonly (string Name, Compiled? Value)[] _select;
    private readonly RowProjection? _projection;
    private readonly EventScope _scope = new();

    /// <summary>Compiles the statement.</summary>
    public FilterProjectOperator(Statement statement)
    {
        ArgumentNullException.ThrowIfNull(statement);
        _output = statement.Output;
        _where = statement.Where is null ? null : ExpressionCompiler.Compile(statement.Where);
        _select = [.. statement.Select.Select(i => (i.Name, i.Expression is null ? null : ExpressionCompiler.Compile(i.Expression)))];
        if (_select.All(s => s.Value is not null))
        {
            _projection = new RowProjection([.. _select.Select(s => (s.Name, s.Value!))]);
        }
    }

    /// <inheritdoc />
    public void OnEvent(Event e, IRowSink sink)
    {
        ArgumentNullException.ThrowIfNull(e);
        ArgumentNullException.ThrowIfNull(sink);
        _scope.Event = e;
        if (_where is not null && !_where(_scope).IsTrue)
        {
            return;
        }

        if (_projection is not null)
        {
            _projection.Emit(sink, _output, _scope, e.Time);
            return;
        }

        // SELECT * (possibly beside other columns): the columns depend on the event's own attributes.
        var names = new List<string>(_select.Length + e.Attributes.Count);
        var values = new List<Value>(names.Capacity);
        foreach (var (name, value) in _select)
        {
            if (value is null)
            {
                foreach (var (attribute, v) in e.Attributes)
                {
                    names.Add(attribute);
                    values.Add(v);
                }
            }
            else
            {
                names.Add(name);
                values.Add(value(_scope));
            }
        }

        sink.OnRow(new RowView(_output, CollectionsMarshal.AsSpan(names), CollectionsMarshal.AsSpan(values), e.Time));
    }

    /// <inheritdoc />
    public void OnEnd(IRowSink sink)
    {
    }

    /// <inheritdoc />
    public void Save(State.StateWriter writer)
    {
        // Stateless: each event is handled on its own.
    }

    /// <inheritdoc />
    public void Load(State.StateReader reader)
    {
        // Stateless.
    }
}
