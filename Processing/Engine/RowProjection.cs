namespace Efflux.Processing.Engine;

/// <summary>
/// A compiled select list: evaluates its columns against a scope into one reused buffer and hands the row to a sink.
/// </summary>
internal sealed class RowProjection
{
    private readonly string[] _names;
    private readonly Compiled[] _columns;
    private readonly Value[] _values;

    public RowProjection(IReadOnlyList<(string Name, Compiled Value)> columns)
    {
        _names = [.. columns.Select(c => c.Name)];
        _columns = [.. columns.Select(c => c.Value)];
        _values = new Value[_names.Length];
    }

    /// <summary>The select list of a statement whose rows come from several bound events, where '*' has no meaning.</summary>
    public static RowProjection WithoutStar(Syntax.Statement statement, string where, string instead)
        => new([.. statement.Select.Select(i => (i.Name, i.Expression is null
            ? throw new Parsing.QueryException(i.Position, $"'*' is not available in {where}: select {instead}")
            : ExpressionCompiler.Compile(i.Expression)))]);

    public void Emit(IRowSink sink, string output, IScope scope, long time)
    {
        for (var i = 0; i < _columns.Length; i++)
        {
            _values[i] = _columns[i](scope);
        }

        sink.OnRow(new RowView(output, _names, _values, time));
    }
}
