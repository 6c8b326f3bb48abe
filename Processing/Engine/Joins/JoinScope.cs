namespace Efflux.Processing.Engine.Joins;

/// <summary>A join pair: attributes qualified by either side's stream name or alias; unqualified ones read the left side, then the right.</summary>
internal sealed class JoinScope(IReadOnlySet<string> leftNames, IReadOnlySet<string> rightNames) : IScope
{
    public Event? Left { get; set; }

    public Event? Right { get; set; }

    public Value Resolve(string? qualifier, AttributeRef attribute)
    {
        if (qualifier is null)
        {
            var left = attribute.Read(Left);
            return left.IsNull ? attribute.Read(Right) : left;
        }

        return leftNames.Contains(qualifier) ? attribute.Read(Left)
            : rightNames.Contains(qualifier) ? attribute.Read(Right)
            : Value.Null;
    }
}
