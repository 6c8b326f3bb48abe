using Efflux.Processing.Parsing;

namespace Efflux.Processing.Syntax;

/// <summary>One EffluxQL statement.</summary>
/// <param name="Select">The select list.</param>
/// <param name="From">The FROM stream.</param>
/// <param name="Join">The JOIN clause, or null.</param>
/// <param name="Pattern">The MATCH clause, or null.</param>
/// <param name="Where">The WHERE condition, or null.</param>
/// <param name="GroupBy">The GROUP BY expressions.</param>
/// <param name="Having">The HAVING condition, or null.</param>
/// <param name="Output">The output name (INSERT INTO, or the query's name).</param>
/// <param name="Position">Where the statement starts.</param>
public sealed record Statement(
    IReadOnlyList<SelectItem> Select,
    StreamSource From,
    JoinClause? Join,
    PatternClause? Pattern,
    Expr? Where,
    IReadOnlyList<Expr> GroupBy,
    Expr? Having,
    string Output,
    SourcePosition Position);
