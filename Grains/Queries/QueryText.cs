using Efflux.Processing.Parsing;
using Efflux.Processing.Engine;
using Efflux.Processing.Syntax;

namespace Efflux.Grains.Queries;

/// <summary>The checks a live query's text passes before it is created.</summary>
public static class QueryText
{
    /// <summary>Parses and checks <paramref name="text"/>, and builds an engine to refuse what it does not run.</summary>
    /// <exception cref="QueryException">The text is not a query this engine runs (with line and column).</exception>
    public static IReadOnlyList<Statement> Check(string text, string name)
    {
        var statements = Analyzer.ParseAndCheck(text, name);
        _ = new QueryEngine(statements);
        return statements;
    }
}
