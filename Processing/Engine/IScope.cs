namespace Efflux.Processing.Engine;

/// <summary>Where an expression finds its attributes: one event, a join pair, or a pattern's bound events.</summary>
public interface IScope
{
    /// <summary>The attribute's value, NULL when missing.</summary>
    Value Resolve(string? qualifier, AttributeRef attribute);
}
