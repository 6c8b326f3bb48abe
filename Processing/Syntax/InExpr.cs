using Efflux.Processing.Parsing;

namespace Efflux.Processing.Syntax;

/// <summary><c>x [NOT] IN (a, b, …)</c>.</summary>
/// <param name="Operand">The tested expression.</param>
/// <param name="Items">The candidates.</param>
/// <param name="Negated">True for NOT IN.</param>
/// <param name="Position">Where it stands.</param>
public sealed record InExpr(Expr Operand, IReadOnlyList<Expr> Items, bool Negated, SourcePosition Position) : Expr(Position);
