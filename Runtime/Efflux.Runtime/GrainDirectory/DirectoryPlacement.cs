using Efflux.Runtime.Invocation;
using Efflux.Runtime.Membership;

namespace Efflux.Runtime.GrainDirectory;

/// <summary>
/// Placement of grains whose class asks for the directory. [PreferLocalPlacement]: a new grain goes to the silo the
/// call starts from, and moves to the caller's silo if its silo is gone. [DirectoryPlacement]: the same, except that a
/// grain whose silo is gone is not started elsewhere: calls fail fast until a silo is active at that endpoint again
/// (a restarted silo takes its grains back). Thread-safe.
/// </summary>
internal sealed class DirectoryPlacement(IGrainDirectory directory, MembershipView view)
{
    /// <summary>The silo of a directory-placed grain, registering it at <paramref name="self"/> when it has none.</summary>
    /// <exception cref="SiloUnavailableException">A [DirectoryPlacement] grain whose silo is not active.</exception>
    public async Task<SiloAddress> OwnerAsync(GrainId grainId, Placement placement, SiloAddress self)
    {
        var endpoint = await directory.LookupAsync(grainId, CancellationToken.None).ConfigureAwait(false)
            ?? await directory.RegisterAsync(grainId, self.Endpoint, CancellationToken.None).ConfigureAwait(false);
        if (Active(endpoint) is { } silo)
        {
            return silo;
        }

        if (placement == Placement.Directory)
        {
            throw new SiloUnavailableException($"{grainId} lives on {endpoint}, which is not active: it stays with its data and is not started elsewhere.");
        }

        await directory.UnregisterAsync(grainId, endpoint, CancellationToken.None).ConfigureAwait(false);
        var moved = await directory.RegisterAsync(grainId, self.Endpoint, CancellationToken.None).ConfigureAwait(false);
        return Active(moved) ?? self;
    }

    private SiloAddress? Active(string endpoint) => view.Active.FirstOrDefault(s => s.Endpoint == endpoint);
}
