using Efflux.Processing.Parsing;

namespace Efflux.Processing.Syntax;

/// <summary>A function or aggregate call; <see cref="Star"/> for <c>COUNT(*)</c>.</summary>
/// <param name="Name">The function name, upper-case.</param>
/// <param name="Arguments">The arguments.</param>
/// <param name="Star">True for <c>COUNT(*)</c>.</param>
/// <param name="Position">Where it stands.</param>
public sealed record CallExpr(string Name, IReadOnlyList<Expr> Arguments, bool Star, SourcePosition Position) : Expr(Position);
