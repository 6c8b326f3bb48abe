namespace Efflux.Processing.Runtime.Joins;

/// <summary>A join pair: attributes qualified by either side's stream name or alias; unqualified ones read the left side, then the right.</summary>
internal sealed class JoinScope(IReadOnlySet<string> leftNames, IReadOnlySet<string> rightNames) : IScope
{
    public Event? Left { get; set; }

    public Event? Right { get; set; }

    public Value Resolve(string? qualifier, string name)
    {
        if (qualifier is null)
        {
            var left = Left?.Get(name) ?? Value.Null;
            return left.IsNull ? Right?.Get(name) ?? Value.Null : left;
        }

        return leftNames.Contains(qualifier) ? Left?.Get(name) ?? Value.Null
            : rightNames.Contains(qualifier) ? Right?.Get(name) ?? Value.Null
            : Value.Null;
    }
}
