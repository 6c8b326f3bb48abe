namespace Efflux.Runtime;

/// <summary>The wire field id of a member of a contract type: unique within the type and never reused for another meaning.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field | AttributeTargets.Parameter)]
public sealed class IdAttribute(uint id) : Attribute
{
    /// <summary>The field id.</summary>
    public uint Id { get; } = id;
}
