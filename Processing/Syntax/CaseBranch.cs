namespace Efflux.Processing.Syntax;

/// <summary>One <c>WHEN condition THEN value</c> of a CASE.</summary>
/// <param name="When">The condition.</param>
/// <param name="Then">The value when it holds.</param>
public sealed record CaseBranch(Expr When, Expr Then);
