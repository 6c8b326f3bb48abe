using Efflux.Runtime.Activations;
using Efflux.Runtime.Membership;

namespace Efflux.Runtime.Hosting;

/// <summary>What a silo knows about itself and its cluster, for hosts that report it (health, cluster pages).</summary>
public interface ISiloDetails
{
    /// <summary>This silo's address; null for a silo without a port (a cluster of one).</summary>
    SiloAddress? Address { get; }

    /// <summary>The active silos of the latest membership view.</summary>
    IReadOnlyList<SiloAddress> ActiveSilos { get; }

    /// <summary>This silo's activations by grain type.</summary>
    IReadOnlyDictionary<string, int> ActivationsByType();

    /// <summary>Every row of the membership table (silos of every status).</summary>
    Task<IReadOnlyDictionary<SiloAddress, MembershipEntry>> MembershipAsync(CancellationToken cancellationToken);
}

internal sealed class SiloDetails(MembershipView view, Catalog catalog, IMembershipTable table) : ISiloDetails
{
    public SiloAddress? Address => view.Self;

    public IReadOnlyList<SiloAddress> ActiveSilos => view.Active;

    public IReadOnlyDictionary<string, int> ActivationsByType() => catalog.CountByType();

    public Task<IReadOnlyDictionary<SiloAddress, MembershipEntry>> MembershipAsync(CancellationToken cancellationToken) => table.ReadAllAsync(cancellationToken);
}
