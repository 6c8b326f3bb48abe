namespace Efflux.Runtime;

/// <summary>
/// A stable wire name for a grain interface, a grain method or a contract type. Without it the name is derived from
/// the C# name, so a rename would change the wire contract.
/// </summary>
[AttributeUsage(AttributeTargets.Interface | AttributeTargets.Method | AttributeTargets.Class | AttributeTargets.Struct)]
public sealed class AliasAttribute(string alias) : Attribute
{
    /// <summary>The wire name.</summary>
    public string Alias { get; } = alias;
}
