using Efflux.Processing.Parsing;

namespace Efflux.Processing.Syntax;

/// <summary><c>MATCH (e1=S1 -> e2=S2 …) WITHIN d [FILTER condition]</c>.</summary>
/// <param name="Steps">The steps in order (at least two).</param>
/// <param name="Within">The time limit in milliseconds.</param>
/// <param name="Filter">The condition, or null.</param>
/// <param name="Position">Where it stands.</param>
public sealed record PatternClause(IReadOnlyList<PatternStep> Steps, long Within, Expr? Filter, SourcePosition Position);
