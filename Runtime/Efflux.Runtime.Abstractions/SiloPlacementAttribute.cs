namespace Efflux.Runtime;

/// <summary>
/// The grain's key is a silo endpoint (<c>host:port</c>) and the grain runs on that silo: one per silo, for asking each
/// silo about itself. Calls to a silo that is not active fail with <see cref="SiloUnavailableException"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class SiloPlacementAttribute : Attribute
{
}
