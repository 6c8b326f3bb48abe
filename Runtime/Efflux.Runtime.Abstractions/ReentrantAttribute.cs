namespace Efflux.Runtime;

/// <summary>Calls to an activation of this grain class may interleave at every await.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = true)]
public sealed class ReentrantAttribute : Attribute
{
}
