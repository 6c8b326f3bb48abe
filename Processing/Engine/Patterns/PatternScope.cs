namespace Efflux.Processing.Engine.Patterns;

/// <summary>The events a partial match has bound, by alias; an unqualified attribute reads the last bound event.</summary>
internal sealed class PatternScope(IReadOnlyDictionary<string, int> aliases) : IScope
{
    public Event?[] Bound { get; set; } = [];

    public int Count { get; set; }

    public Value Resolve(string? qualifier, AttributeRef attribute)
    {
        if (qualifier is not null && aliases.TryGetValue(qualifier, out var index))
        {
            return index < Count ? attribute.Read(Bound[index]) : Value.Null;
        }

        return Count > 0 ? attribute.Read(Bound[Count - 1]) : Value.Null;
    }
}
