namespace Efflux.Runtime.Membership;

/// <summary>Membership shared by the silos of one process (a single silo, or a TestCluster). Changes are visible at once.</summary>
public sealed class InMemoryMembershipTable : IMembershipTable
{
    private readonly Lock _lock = new();
    private readonly Dictionary<SiloAddress, MembershipEntry> _silos = [];

    /// <inheritdoc />
    public Task<IReadOnlyDictionary<SiloAddress, MembershipEntry>> ReadAllAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyDictionary<SiloAddress, MembershipEntry>>(new Dictionary<SiloAddress, MembershipEntry>(_silos));
        }
    }

    /// <inheritdoc />
    public Task<bool> SetStatusAsync(SiloAddress silo, SiloStatus status, DateTimeOffset now, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var current = _silos.GetValueOrDefault(silo);
            if (MembershipRules.WithStatus(current, status, now) is not { } next)
            {
                return Task.FromResult(current?.Status == status);
            }

            _silos[silo] = next;
            return Task.FromResult(true);
        }
    }

    /// <inheritdoc />
    public Task<bool> HeartbeatAsync(SiloAddress silo, DateTimeOffset now, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (MembershipRules.WithHeartbeat(_silos.GetValueOrDefault(silo), now) is not { } next)
            {
                return Task.FromResult(false);
            }

            _silos[silo] = next;
            return Task.FromResult(true);
        }
    }

    /// <inheritdoc />
    public Task<SiloStatus> SuspectAsync(SiloAddress suspect, SiloAddress by, int votesForDeath, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (!_silos.TryGetValue(suspect, out var current))
            {
                return Task.FromResult(SiloStatus.Dead);
            }

            var next = MembershipRules.WithVote(current, by, votesForDeath);
            _silos[suspect] = next;
            return Task.FromResult(next.Status);
        }
    }
}
