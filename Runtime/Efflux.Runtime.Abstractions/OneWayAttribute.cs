namespace Efflux.Runtime;

/// <summary>The caller does not wait: the call completes when it is sent; errors are logged, not returned. The method returns Task or ValueTask.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class OneWayAttribute : Attribute
{
}
