using Efflux.Processing.Parsing;

namespace Efflux.Processing.Syntax;

/// <summary><c>x [NOT] LIKE pattern</c> with <c>%</c> and <c>_</c>.</summary>
/// <param name="Operand">The tested expression.</param>
/// <param name="Pattern">The pattern.</param>
/// <param name="Negated">True for NOT LIKE.</param>
/// <param name="Position">Where it stands.</param>
public sealed record LikeExpr(Expr Operand, Expr Pattern, bool Negated, SourcePosition Position) : Expr(Position);
