namespace Efflux.Runtime;

/// <summary>Place new activations on the silo that makes the first call when it is compatible (default: hash placement).</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class PreferLocalPlacementAttribute : Attribute
{
}
