namespace Efflux.Runtime.Membership;

/// <summary>Membership shared by the silos of one process (a single silo, or a TestCluster). Changes are visible at once.</summary>
public sealed class InMemoryMembershipTable : IMembershipTable
{
    private readonly Lock _lock = new();
    private readonly Dictionary<SiloAddress, SiloStatus> _silos = [];

    /// <inheritdoc />
    public Task<IReadOnlyDictionary<SiloAddress, SiloStatus>> ReadAllAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyDictionary<SiloAddress, SiloStatus>>(new Dictionary<SiloAddress, SiloStatus>(_silos));
        }
    }

    /// <inheritdoc />
    public Task<bool> SetStatusAsync(SiloAddress silo, SiloStatus status, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (_silos.TryGetValue(silo, out var current) && current >= status)
            {
                return Task.FromResult(current == status);
            }

            _silos[silo] = status;
            return Task.FromResult(true);
        }
    }
}
