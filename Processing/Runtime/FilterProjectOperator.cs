using Efflux.Processing.Syntax;

namespace Efflux.Processing.Runtime;

/// <summary>A statement without window, join or pattern: WHERE, then the select list, one row per passing event.</summary>
public sealed class FilterProjectOperator : IStatementOperator
{
    private readonly string _output;
    private readonly Compiled? _where;
    private readonly (string Name, Compiled? Value)[] _select;
    private readonly EventScope _scope = new();
    private readonly bool _star;

    /// <summary>Compiles the statement.</summary>
    public FilterProjectOperator(Statement statement)
    {
        ArgumentNullException.ThrowIfNull(statement);
        _output = statement.Output;
        _where = statement.Where is null ? null : ExpressionCompiler.Compile(statement.Where);
        _select = [.. statement.Select.Select(i => (i.Name, i.Expression is null ? null : ExpressionCompiler.Compile(i.Expression)))];
        _star = _select.Any(s => s.Value is null);
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

        if (_star)
        {
            var all = new List<KeyValuePair<string, Value>>(_select.Length + e.Attributes.Count);
            foreach (var (name, value) in _select)
            {
                if (value is null)
                {
                    all.AddRange(e.Attributes);
                }
                else
                {
                    all.Add(new(name, value(_scope)));
                }
            }

            emit(new OutputRow(_output, all, e.Time));
            return;
        }

        var columns = new KeyValuePair<string, Value>[_select.Length];
        for (var i = 0; i < columns.Length; i++)
        {
            columns[i] = new(_select[i].Name, _select[i].Value!(_scope));
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
