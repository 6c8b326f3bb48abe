using System.Collections.Concurrent;
using Efflux.Runtime.Invocation;
using Efflux.Runtime.Membership;

namespace Efflux.Runtime.GrainDirectory;

/// <summary>
/// Placement of grains whose class asks for the directory. [PreferLocalPlacement]: a new grain goes to the silo the
/// call starts from, and moves to the caller's silo if its silo is gone. [DirectoryPlacement]: a new grain goes to the
/// silo the rendezvous hash picks (so such grains spread over the cluster) and stays there for good: while that silo is
/// gone, calls fail fast, and a silo that is active at that endpoint again (a restarted silo) takes its grains back.
/// Registrations of [DirectoryPlacement] grains never change, so they are cached after the first lookup. Thread-safe.
/// </summary>
internal sealed class DirectoryPlacement(IGrainDirectory directory, MembershipView view)
{
    private readonly ConcurrentDictionary<GrainId, string> _pinned = new();

    /// <summary>The silo of a directory-placed grain, registering it when it has none.</summary>
    /// <exception cref="SiloUnavailableException">A [DirectoryPlacement] grain whose silo is not active.</exception>
    public async Task<SiloAddress> OwnerAsync(GrainId grainId, Placement placement, SiloAddress self)
    {
        if (placement == Placement.Directory)
        {
            if (!_pinned.TryGetValue(grainId, out var pinned))
            {
                pinned = await directory.LookupAsync(grainId, CancellationToken.None).ConfigureAwait(false)
                    ?? await directory.RegisterAsync(grainId, (view.PlacementOf(grainId) ?? self).Endpoint, CancellationToken.None).ConfigureAwait(false);
                _pinned[grainId] = pinned;
            }

            return Active(pinned)
                ?? throw new SiloUnavailableException($"{grainId} lives on {pinned}, which is not active: it stays with its data and is not started elsewhere.");
        }

        var endpoint = await directory.LookupAsync(grainId, CancellationToken.None).ConfigureAwait(false)
            ?? await directory.RegisterAsync(grainId, self.Endpoint, CancellationToken.None).ConfigureAwait(false);
        if (Active(endpoint) is { } silo)
        {
            return silo;
        }

        await directory.UnregisterAsync(grainId, endpoint, CancellationToken.None).ConfigureAwait(false);
        var moved = await directory.RegisterAsync(grainId, self.Endpoint, CancellationToken.None).ConfigureAwait(false);
        return Active(moved) ?? self;
    }

    /// <summary>True when a [DirectoryPlacement] grain is known (cached) to live on <paramref name="self"/>, which is active.</summary>
    public bool IsPinnedTo(GrainId grainId, SiloAddress self)
        => _pinned.TryGetValue(grainId, out var pinned) && pinned == self.Endpoint && view.Active.Contains(self);

    private SiloAddress? Active(string endpoint) => view.Active.FirstOrDefault(s => s.Endpoint == endpoint);
}
