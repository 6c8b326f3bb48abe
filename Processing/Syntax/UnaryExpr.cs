using Efflux.Processing.Parsing;

namespace Efflux.Processing.Syntax;

/// <summary>Unary minus (<c>-</c>) or <c>NOT</c>.</summary>
/// <param name="Operator">"-" or "NOT".</param>
/// <param name="Operand">The operand.</param>
/// <param name="Position">Where it stands.</param>
public sealed record UnaryExpr(string Operator, Expr Operand, SourcePosition Position) : Expr(Position);
