using Efflux.Processing.Parsing;

namespace Efflux.Processing.Syntax;

/// <summary><c>CASE WHEN … THEN … [ELSE …] END</c>.</summary>
/// <param name="Branches">The WHEN branches in order.</param>
/// <param name="Else">The ELSE value, or null (NULL).</param>
/// <param name="Position">Where it stands.</param>
public sealed record CaseExpr(IReadOnlyList<CaseBranch> Branches, Expr? Else, SourcePosition Position) : Expr(Position);
