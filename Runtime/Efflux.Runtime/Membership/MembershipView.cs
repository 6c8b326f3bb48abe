using Efflux.Runtime.Hosting;
using Microsoft.Extensions.Options;

namespace Efflux.Runtime.Membership;

/// <summary>
/// This silo's view of the cluster: the active silos, refreshed from the table periodically and on demand, and the
/// placement of grains over them by rendezvous hashing (every silo with the same view agrees on a grain's silo, so
/// concurrent first calls from several silos meet at one activation). Thread-safe; the view is swapped whole.
/// </summary>
internal sealed class MembershipView(IMembershipTable table, IOptions<SiloOptions> options)
{
    private volatile SiloAddress[] _active = [];

    /// <summary>This silo (set when the silo starts).</summary>
    public SiloAddress? Self { get; set; }

    /// <summary>Active silos, ordered.</summary>
    public IReadOnlyList<SiloAddress> Active => _active;

    public TimeSpan RefreshInterval => options.Value.MembershipRefreshInterval;

    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        var all = await table.ReadAllAsync(cancellationToken).ConfigureAwait(false);
        _active = [.. all.Where(s => s.Value.Status == SiloStatus.Active).Select(s => s.Key).OrderBy(s => s.ToString(), StringComparer.Ordinal)];
    }

    /// <summary>The silo that hosts <paramref name="grainId"/>; null when no silo is active.</summary>
    public SiloAddress? PlacementOf(GrainId grainId)
    {
        var active = _active;
        SiloAddress? best = null;
        var bestScore = 0UL;
        foreach (var silo in active)
        {
            var score = Score(grainId, silo);
            if (best is null || score > bestScore)
            {
                (best, bestScore) = (silo, score);
            }
        }

        return best;
    }

    /// <summary>Rendezvous score: FNV-1a over the grain id and the silo, then a SplitMix64 finish for spread. Stable across processes.</summary>
    private static ulong Score(GrainId grainId, SiloAddress silo)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in grainId.ToString() + "|" + silo)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        hash ^= hash >> 30;
        hash *= 0xbf58476d1ce4e5b9UL;
        hash ^= hash >> 27;
        hash *= 0x94d049bb133111ebUL;
        return hash ^ (hash >> 31);
    }
}
