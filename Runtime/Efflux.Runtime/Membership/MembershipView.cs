using Efflux.Runtime.Hosting;
using Microsoft.Extensions.Options;

namespace Efflux.Runtime.Membership;

/// <summary>
/// This silo's view of the cluster: the active silos, refreshed from the table periodically and on demand, and the
/// placement of grains over them by rendezvous hashing (every silo with the same view agrees on a grain's silo, so
/// concurrent first calls from several silos meet at one activation): each silo scores a grain by mixing the grain's
/// hash with its own, and the highest score wins. Thread-safe; the view is swapped whole.
/// </summary>
internal sealed class MembershipView(IMembershipTable table, IOptions<SiloOptions> options)
{
    // The active silos and their hashes, swapped together as one object.
    private volatile Snapshot _snapshot = new([], []);

    /// <summary>This silo (set when the silo starts).</summary>
    public SiloAddress? Self { get; set; }

    /// <summary>Active silos, ordered.</summary>
    public IReadOnlyList<SiloAddress> Active => _snapshot.Silos;

    public TimeSpan RefreshInterval => options.Value.MembershipRefreshInterval;

    /// <summary>Raised after a refresh that changed the active silos (on the refreshing thread).</summary>
    public event Action? Changed;

    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        var all = await table.ReadAllAsync(cancellationToken).ConfigureAwait(false);
        SiloAddress[] active = [.. all.Where(s => s.Value.Status == SiloStatus.Active).Select(s => s.Key).OrderBy(s => s.ToString(), StringComparer.Ordinal)];
        var before = Interlocked.Exchange(ref _snapshot, new Snapshot(active, [.. active.Select(s => GrainId.StableHashOf(s.ToString()))]));
        if (!before.Silos.AsSpan().SequenceEqual(active))
        {
            Changed?.Invoke();
        }
    }

    /// <summary>The silo that hosts <paramref name="grainId"/>; null when no silo is active.</summary>
    public SiloAddress? PlacementOf(GrainId grainId)
    {
        var grain = grainId.StableHash;
        var snapshot = _snapshot;
        SiloAddress? best = null;
        var bestScore = 0UL;
        for (var i = 0; i < snapshot.Silos.Length; i++)
        {
            var score = Mix(grain ^ snapshot.Hashes[i]);
            if (best is null || score > bestScore)
            {
                (best, bestScore) = (snapshot.Silos[i], score);
            }
        }

        return best;
    }

    /// <summary>SplitMix64's finish: spreads the combined hash so that every silo wins its share of grains.</summary>
    private static ulong Mix(ulong hash)
    {
        hash ^= hash >> 30;
        hash *= 0xbf58476d1ce4e5b9UL;
        hash ^= hash >> 27;
        hash *= 0x94d049bb133111ebUL;
        return hash ^ (hash >> 31);
    }

    private sealed record Snapshot(SiloAddress[] Silos, ulong[] Hashes);
}
