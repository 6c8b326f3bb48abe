using Efflux.Processing.Parsing;

namespace Efflux.Processing.Syntax;

/// <summary>An event attribute, optionally qualified by a stream name or alias (<c>e1.price</c>).</summary>
/// <param name="Qualifier">The stream name or alias, or null.</param>
/// <param name="Name">The attribute name (case-sensitive).</param>
/// <param name="Position">Where it stands.</param>
public sealed record AttributeExpr(string? Qualifier, string Name, SourcePosition Position) : Expr(Position);
