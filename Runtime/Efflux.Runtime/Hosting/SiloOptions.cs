namespace Efflux.Runtime.Hosting;

/// <summary>Settings of a silo (bound from configuration or set in <c>UseEffluxSilo</c>).</summary>
public sealed class SiloOptions
{
    /// <summary>An activation with no call for this long is deactivated.</summary>
    public TimeSpan IdleCollectionAge { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How often idle activations are looked for.</summary>
    public TimeSpan IdleCollectionInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>A call without a response for this long fails with <see cref="GrainCallTimeoutException"/>.</summary>
    public TimeSpan CallTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long deactivation may wait for running turns and OnDeactivateAsync before the activation is dropped anyway
    /// (below the host's 30-second shutdown timeout, so that a stuck grain cannot stall a shutdown).
    /// </summary>
    public TimeSpan DeactivationTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>The silo port: other silos and clients connect here (0: this silo takes no connections, a cluster of one).</summary>
    public int Port { get; set; }

    /// <summary>The address the silo listens on and advertises (loopback by default).</summary>
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>How often the silo re-reads the membership table.</summary>
    public TimeSpan MembershipRefreshInterval { get; set; } = TimeSpan.FromSeconds(1);
}
