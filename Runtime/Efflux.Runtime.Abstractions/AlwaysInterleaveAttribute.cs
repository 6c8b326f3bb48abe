namespace Efflux.Runtime;

/// <summary>This grain interface method interleaves with any other call (for example a cancellation or a status probe).</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class AlwaysInterleaveAttribute : Attribute
{
}
