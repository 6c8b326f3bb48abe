namespace Efflux.Processing.Engine;

/// <summary>A compiled expression: evaluates against a scope.</summary>
public delegate Value Compiled(IScope scope);
