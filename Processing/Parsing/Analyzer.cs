using Efflux.Processing.Syntax;

namespace Efflux.Processing.Parsing;

/// <summary>
/// Semantic checks run before a query runs: unknown aliases and functions, wrong arities, aggregates where they are
/// not allowed (WHERE, GROUP BY, ON, FILTER, inside another aggregate), columns that are neither grouped nor aggregated,
/// and window bounds outside windowed aggregations. Throws <see cref="QueryException"/> at the first problem.
/// </summary>
public static class Analyzer
{
    /// <summary>The aggregate function names (each takes one argument; COUNT also takes <c>*</c>).</summary>
    public static readonly IReadOnlySet<string> Aggregates = new HashSet<string>(StringComparer.Ordinal) { "COUNT", "SUM", "AVG", "MIN", "MAX", "STDDEV", "FIRST", "LAST" };

    private static readonly Dictionary<string, (int Min, int Max)> Functions = new(StringComparer.Ordinal)
    {
        ["ABS"] = (1, 1),
        ["ROUND"] = (1, 2),
        ["FLOOR"] = (1, 1),
        ["CEIL"] = (1, 1),
        ["SQRT"] = (1, 1),
        ["LOWER"] = (1, 1),
        ["UPPER"] = (1, 1),
        ["LENGTH"] = (1, 1),
        ["CONCAT"] = (1, int.MaxValue),
        ["COALESCE"] = (1, int.MaxValue),
    };

    private static readonly HashSet<string> WindowBounds = new(StringComparer.Ordinal) { "window_start", "window_end" };

    /// <summary>Parses and checks a query.</summary>
    public static IReadOnlyList<Statement> ParseAndCheck(string text, string defaultOutput = "query")
    {
        var statements = Parser.Parse(text, defaultOutput);
        foreach (var statement in statements)
        {
            Check(statement);
        }

        return statements;
    }

    /// <summary>True when the statement aggregates (an aggregate in the select list or HAVING, or a GROUP BY).</summary>
    public static bool IsAggregating(Statement statement)
        => statement.GroupBy.Count > 0
        || statement.Select.Any(s => s.Expression is not null && ContainsAggregate(s.Expression))
        || (statement.Having is not null && ContainsAggregate(statement.Having));

    /// <summary>True when an aggregate call appears anywhere in <paramref name="expression"/>.</summary>
    public static bool ContainsAggregate(Expr expression) => Walk(expression).Any(e => e is CallExpr c && Aggregates.Contains(c.Name));

    /// <summary>Checks one statement.</summary>
    public static void Check(Statement statement)
    {
        ArgumentNullException.ThrowIfNull(statement);
        var qualifiers = new HashSet<string>(StringComparer.Ordinal) { statement.From.Name, statement.From.ReferenceName };
        if (statement.Join is { } join)
        {
            qualifiers.Add(join.Right.Name);
            qualifiers.Add(join.Right.ReferenceName);
        }

        if (statement.Pattern is { } pattern)
        {
            if (statement.From.Window is not null)
            {
                throw new QueryException(statement.From.Window.Position, "a MATCH query reads its stream without a WINDOW");
            }

            foreach (var step in pattern.Steps)
            {
                if (!qualifiers.Add(step.Alias) && pattern.Steps.Count(s => s.Alias == step.Alias) > 1)
                {
                    throw new QueryException(step.Position, $"the pattern alias '{step.Alias}' is used twice");
                }
            }
        }

        var aggregating = IsAggregating(statement);
        var windowed = statement.From.Window is not null;
        foreach (var item in statement.Select)
        {
            if (item.Expression is null)
            {
                if (aggregating)
                {
                    throw new QueryException(item.Position, "'*' cannot be selected in an aggregating query: name the grouped columns and aggregates");
                }

                continue;
            }

            CheckExpression(item.Expression, qualifiers, aggregatesAllowed: true, "the select list");
        }

        foreach (var (expression, clause) in Clauses(statement))
        {
            CheckExpression(expression, qualifiers, aggregatesAllowed: clause == "HAVING", clause);
        }

        if (aggregating)
        {
            foreach (var item in statement.Select.Where(s => s.Expression is not null))
            {
                CheckGrouped(item.Expression!, statement.GroupBy);
            }

            if (statement.Having is not null)
            {
                CheckGrouped(statement.Having, statement.GroupBy);
            }
        }

        var bound = statement.Select.Where(s => s.Expression is not null).SelectMany(s => Walk(s.Expression!))
            .OfType<AttributeExpr>().FirstOrDefault(a => a.Qualifier is null && WindowBounds.Contains(a.Name));
        if (bound is not null && !(aggregating && windowed))
        {
            throw new QueryException(bound.Position, $"{bound.Name} is only available in windowed aggregations");
        }
    }

    private static IEnumerable<(Expr Expression, string Clause)> Clauses(Statement s)
    {
        if (s.Where is not null)
        {
            yield return (s.Where, "WHERE");
        }

        foreach (var g in s.GroupBy)
        {
            yield return (g, "GROUP BY");
        }

        if (s.Having is not null)
        {
            yield return (s.Having, "HAVING");
        }

        if (s.Join is not null)
        {
            yield return (s.Join.On, "ON");
        }

        if (s.Pattern?.Filter is { } filter)
        {
            yield return (filter, "FILTER");
        }
    }

    private static void CheckExpression(Expr expression, HashSet<string> qualifiers, bool aggregatesAllowed, string clause)
    {
        foreach (var node in Walk(expression))
        {
            switch (node)
            {
                case AttributeExpr { Qualifier: { } q } attribute when !qualifiers.Contains(q):
                    throw new QueryException(attribute.Position, $"unknown stream or alias '{q}' (known: {string.Join(", ", qualifiers.Order(StringComparer.Ordinal))})");
                case CallExpr call when Aggregates.Contains(call.Name):
                    if (!aggregatesAllowed)
                    {
                        throw new QueryException(call.Position, $"the aggregate {call.Name} is not allowed in {clause}");
                    }

                    if (call.Star ? call.Name != "COUNT" : call.Arguments.Count != 1)
                    {
                        throw new QueryException(call.Position, call.Star ? $"only COUNT accepts '*', not {call.Name}" : $"{call.Name} takes exactly one argument");
                    }

                    if (call.Arguments.Any(ContainsAggregate))
                    {
                        throw new QueryException(call.Position, $"aggregates cannot be nested inside {call.Name}");
                    }

                    break;
                case CallExpr call:
                    if (!Functions.TryGetValue(call.Name, out var arity))
                    {
                        throw new QueryException(call.Position, $"unknown function {call.Name}");
                    }

                    if (call.Star || call.Arguments.Count < arity.Min || call.Arguments.Count > arity.Max)
                    {
                        throw new QueryException(call.Position, arity.Min == arity.Max ? $"{call.Name} takes {arity.Min} argument(s)" : $"{call.Name} takes {arity.Min} to {(arity.Max == int.MaxValue ? "any number of" : arity.Max.ToString(System.Globalization.CultureInfo.InvariantCulture))} arguments");
                    }

                    break;
            }
        }
    }

    /// <summary>Every attribute outside an aggregate must be grouped (or be within a grouped expression).</summary>
    private static void CheckGrouped(Expr expression, IReadOnlyList<Expr> groupBy)
    {
        if (groupBy.Any(g => SameExpression(g, expression)))
        {
            return;
        }

        switch (expression)
        {
            case CallExpr call when Aggregates.Contains(call.Name):
                return;
            case AttributeExpr attribute when attribute.Qualifier is null && WindowBounds.Contains(attribute.Name):
                return;
            case AttributeExpr attribute:
                throw new QueryException(attribute.Position, $"'{(attribute.Qualifier is null ? attribute.Name : attribute.Qualifier + "." + attribute.Name)}' must appear in GROUP BY or inside an aggregate");
        }

        foreach (var child in Children(expression))
        {
            CheckGrouped(child, groupBy);
        }
    }

    /// <summary>Structural equality, ignoring positions; an unqualified attribute matches a qualified one of the same name.</summary>
    public static bool SameExpression(Expr a, Expr b) => (a, b) switch
    {
        (AttributeExpr x, AttributeExpr y) => x.Name == y.Name && (x.Qualifier is null || y.Qualifier is null || x.Qualifier == y.Qualifier),
        (LiteralExpr x, LiteralExpr y) => Equals(x.Value, y.Value),
        (UnaryExpr x, UnaryExpr y) => x.Operator == y.Operator && SameExpression(x.Operand, y.Operand),
        (BinaryExpr x, BinaryExpr y) => x.Operator == y.Operator && SameExpression(x.Left, y.Left) && SameExpression(x.Right, y.Right),
        (CallExpr x, CallExpr y) => x.Name == y.Name && x.Star == y.Star && x.Arguments.Count == y.Arguments.Count && x.Arguments.Zip(y.Arguments).All(p => SameExpression(p.First, p.Second)),
        (IsNullExpr x, IsNullExpr y) => x.Negated == y.Negated && SameExpression(x.Operand, y.Operand),
        (LikeExpr x, LikeExpr y) => x.Negated == y.Negated && SameExpression(x.Operand, y.Operand) && SameExpression(x.Pattern, y.Pattern),
        (InExpr x, InExpr y) => x.Negated == y.Negated && SameExpression(x.Operand, y.Operand) && x.Items.Count == y.Items.Count && x.Items.Zip(y.Items).All(p => SameExpression(p.First, p.Second)),
        (CaseExpr x, CaseExpr y) => x.Branches.Count == y.Branches.Count
            && x.Branches.Zip(y.Branches).All(p => SameExpression(p.First.When, p.Second.When) && SameExpression(p.First.Then, p.Second.Then))
            && ((x.Else is null && y.Else is null) || (x.Else is not null && y.Else is not null && SameExpression(x.Else, y.Else))),
        _ => false,
    };

    /// <summary>The expression and every expression inside it, parents first.</summary>
    public static IEnumerable<Expr> Walk(Expr expression)
    {
        yield return expression;
        foreach (var child in Children(expression))
        {
            foreach (var e in Walk(child))
            {
                yield return e;
            }
        }
    }

    private static IEnumerable<Expr> Children(Expr expression) => expression switch
    {
        UnaryExpr u => [u.Operand],
        BinaryExpr b => [b.Left, b.Right],
        IsNullExpr n => [n.Operand],
        InExpr i => [i.Operand, .. i.Items],
        LikeExpr l => [l.Operand, l.Pattern],
        CaseExpr c => [.. c.Branches.SelectMany(x => new[] { x.When, x.Then }), .. c.Else is null ? Array.Empty<Expr>() : [c.Else]],
        CallExpr call => call.Arguments,
        _ => [],
    };
}
