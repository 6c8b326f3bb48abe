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

    /// <summary>Calls that may wait for one activation; more are refused with <see cref="GrainOverloadedException"/>.</summary>
    public int MaxWaitingCallsPerActivation { get; set; } = 10_000;

    /// <summary>The silo port: other silos and clients connect here (0: this silo takes no connections, a cluster of one).</summary>
    public int Port { get; set; }

    /// <summary>The address the silo listens on and advertises (loopback by default).</summary>
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>How often the silo writes its heartbeat, checks its peers' and re-reads the membership table.</summary>
    public TimeSpan MembershipRefreshInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>A peer whose heartbeat is older than this is suspected; enough suspicions declare it dead.</summary>
    public TimeSpan DeathTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Distinct suspicions that declare a silo dead (fewer when fewer silos are left to vote).</summary>
    public int VotesForDeath { get; set; } = 2;
}
