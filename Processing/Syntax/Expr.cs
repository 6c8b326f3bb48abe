using Efflux.Processing.Parsing;

namespace Efflux.Processing.Syntax;

/// <summary>An expression. Nodes are immutable; <see cref="Position"/> is where the expression starts.</summary>
/// <param name="Position">Where the expression starts.</param>
public abstract record Expr(SourcePosition Position);
