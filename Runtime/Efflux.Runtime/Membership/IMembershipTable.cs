namespace Efflux.Runtime.Membership;

/// <summary>
/// The cluster's membership: every silo's row. Providers: <see cref="InMemoryMembershipTable"/> (one process) and
/// Redis (a cluster of processes), each update atomic. A status only moves forward and a dead silo stays dead, so a
/// silo that was declared dead can only come back as a new generation. Thread-safe.
/// </summary>
public interface IMembershipTable
{
    /// <summary>Every known silo's row.</summary>
    Task<IReadOnlyDictionary<SiloAddress, MembershipEntry>> ReadAllAsync(CancellationToken cancellationToken);

    /// <summary>Moves a silo to <paramref name="status"/>; false when that would move it backwards (for example out of Dead).</summary>
    Task<bool> SetStatusAsync(SiloAddress silo, SiloStatus status, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Records that the silo is alive now and clears suspicions of it (re-creating its row if the table lost it);
    /// false when it is dead.
    /// </summary>
    Task<bool> HeartbeatAsync(SiloAddress silo, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Adds <paramref name="by"/>'s vote that <paramref name="suspect"/> is dead; with <paramref name="votesForDeath"/>
    /// distinct votes the suspect is declared Dead in the same update. Returns the suspect's status afterwards.
    /// </summary>
    Task<SiloStatus> SuspectAsync(SiloAddress suspect, SiloAddress by, int votesForDeath, CancellationToken cancellationToken);
}
