using Efflux.Processing.Parsing;

namespace Efflux.Processing.Syntax;

/// <summary><c>x IS [NOT] NULL</c>.</summary>
/// <param name="Operand">The tested expression.</param>
/// <param name="Negated">True for IS NOT NULL.</param>
/// <param name="Position">Where it stands.</param>
public sealed record IsNullExpr(Expr Operand, bool Negated, SourcePosition Position) : Expr(Position);
