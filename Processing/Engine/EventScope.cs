namespace Efflux.Processing.Engine;

/// <summary>A scope of one event; any qualifier the analyzer accepted refers to it. Reusable: set <see cref="Event"/> per evaluation.</summary>
public sealed class EventScope : IScope
{
    /// <summary>The event being evaluated.</summary>
    public Event? Event { get; set; }

    /// <inheritdoc />
    public Value Resolve(string? qualifier, AttributeRef attribute) => attribute.Read(Event);
}
