namespace Efflux.Runtime;

/// <summary>This grain interface method does not change state: read-only calls may interleave with each other, never with others.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ReadOnlyAttribute : Attribute
{
}
