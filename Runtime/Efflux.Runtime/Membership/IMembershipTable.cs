namespace Efflux.Runtime.Membership;

/// <summary>
/// The cluster's membership: every silo's status. Providers: <see cref="InMemoryMembershipTable"/> (one process) and
/// Redis (a cluster of processes). A status only moves forward; a dead silo stays dead. Thread-safe.
/// </summary>
public interface IMembershipTable
{
    /// <summary>Every known silo and its status.</summary>
    Task<IReadOnlyDictionary<SiloAddress, SiloStatus>> ReadAllAsync(CancellationToken cancellationToken);

    /// <summary>Moves a silo to <paramref name="status"/>; false when that would move it backwards (for example out of Dead).</summary>
    Task<bool> SetStatusAsync(SiloAddress silo, SiloStatus status, CancellationToken cancellationToken);
}
