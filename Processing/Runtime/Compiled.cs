namespace Efflux.Processing.Runtime;

/// <summary>A compiled expression: evaluates against a scope.</summary>
public delegate Value Compiled(IScope scope);
