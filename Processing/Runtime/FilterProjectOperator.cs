using Efflux.Processing.Syntax;

namespace Efflux.Processing.Runtime;

/// <summary>A statement without window, join or pattern: WHERE, then the select list, one row per passing event.</summary>
public sealed class FilterProjectOperator : IStatementOperator
{
    private readonly string _output;
    private readonly Compiled? _where;
    private readonly (string Name, Compiled? Value)[] _select;
    private readonly EventScope _scope = new();

    /// <summary>Compiles the statement.</summary>
    public FilterProjectOperator(Statement statement)
    {
        ArgumentNullException.ThrowIfNull(statement);
        _output = statement.Output;
        _where = statement.Where is null ? null : ExpressionCompiler.Compile(statement.Where);
        _select = [.. statement.Select.Select(i => (i.Name, i.Expression is null ? null : ExpressionCompiler.Compile(i.Expression)))];
    }

    /// <inheritdoc />
    public void OnEvent(Event e, Action<OutputRow> emit)
    {
        ArgumentNullException.ThrowIfNull(e);
        ArgumentNullException.ThrowIfNull(emit);
        _scope.Event = e;
        if (_where is not null && !_where(_scope).IsTrue)
        {
            return;
        }

        var columns = new List<KeyValuePair<string, Value>>(_select.Length);
        foreach (var (name, value) in _select)
        {
            if (value is null)
            {
                columns.AddRange(e.Attributes);
            }
            else
            {
                columns.Add(new(name, value(_scope)));
            }
        }

        emit(new OutputRow(_output, columns, e.Time));
    }

    /// <inheritdoc />
    public void OnEnd(Action<OutputRow> emit)
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
