namespace Efflux.Runtime;

/// <summary>
/// Record the silo of each activation in the grain directory and keep it there: for grains that must stay with their
/// data. When that silo is gone, calls fail fast instead of activating elsewhere.
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class DirectoryPlacementAttribute : Attribute
{
}
