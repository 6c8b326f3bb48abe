using Efflux.Processing.Parsing;

namespace Efflux.Processing.Syntax;

/// <summary>A constant: <see cref="long"/>, <see cref="double"/>, <see cref="string"/>, <see cref="bool"/> or null.</summary>
/// <param name="Value">The value.</param>
/// <param name="Position">Where it stands.</param>
public sealed record LiteralExpr(object? Value, SourcePosition Position) : Expr(Position);
