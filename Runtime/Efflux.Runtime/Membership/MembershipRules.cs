namespace Efflux.Runtime.Membership;

/// <summary>The row transitions every membership provider applies inside its atomic update.</summary>
public static class MembershipRules
{
    /// <summary>The row with a new status, or null when the status would move backwards.</summary>
    public static MembershipEntry? WithStatus(MembershipEntry? current, SiloStatus status, DateTimeOffset now)
        => current is null ? new MembershipEntry(status, now, [])
            : current.Status >= status ? null
            : current with { Status = status, Heartbeat = status == SiloStatus.Active ? now : current.Heartbeat };

    /// <summary>
    /// The row after a heartbeat: alive now, suspicions cleared; a missing row (the table lost it) comes back Active;
    /// null for a dead silo, which never comes back.
    /// </summary>
    public static MembershipEntry? WithHeartbeat(MembershipEntry? current, DateTimeOffset now)
        => current is null ? new MembershipEntry(SiloStatus.Active, now, [])
            : current.Status == SiloStatus.Dead ? null
            : current with { Heartbeat = now, Suspicions = [] };

    /// <summary>The row with one more distinct vote; Dead once the votes reach <paramref name="votesForDeath"/>.</summary>
    public static MembershipEntry WithVote(MembershipEntry current, SiloAddress by, int votesForDeath)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(by);
        if (current.Status == SiloStatus.Dead)
        {
            return current;
        }

        var voter = by.ToString();
        var votes = current.Suspicions.Contains(voter) ? current.Suspicions : [.. current.Suspicions, voter];
        return current with { Suspicions = votes, Status = votes.Count >= Math.Max(1, votesForDeath) ? SiloStatus.Dead : current.Status };
    }
}
