using Orleans.Configuration;
using Orleans.Streams;

namespace Efflux.Grains.Streams;

/// <summary>
/// Which queue reads a partition: one of the queues on the partition's home silo, picked by the partition's stream
/// hash, so that records go from the partition grain to the pulling agent without leaving the silo; the partition's
/// hash-ring queue when its home silo is not active or holds no queue.
/// </summary>
/// <remarks>
/// Orleans' default queue balancer puts each queue on the silo that owns the queue's hash on the consistent ring of
/// virtual buckets (each active silo's <see cref="SiloAddress.GetUniformHashCodes"/>; a hash belongs to the first bucket
/// at or after it). Orleans does not expose that ring, so this works it out the same way from the membership. Every
/// silo computes the same queue for a partition from the same membership, which is all that correctness needs: each
/// partition is read by exactly one queue, wherever Orleans runs it (were the balancer configured otherwise, reads
/// would merely cross silos). While silos see different memberships (one joining or leaving) a partition may be read
/// by two queues or briefly by none, as when the balancer itself moves queues.
/// </remarks>
internal sealed class HomeQueues(IStreamQueueMapper mapper, IClusterMembershipService membership, ConsistentRingOptions ring)
{
    private readonly Lock _lock = new();
    private (MembershipVersion Version, Func<StreamPartition, QueueId> QueueOf)? _last;

    /// <summary>The queue of each partition, as the membership stands now.</summary>
    public Func<StreamPartition, QueueId> Now()
    {
        var snapshot = membership.CurrentSnapshot;
        lock (_lock)
        {
            if (_last is { } last && last.Version == snapshot.Version)
            {
                return last.QueueOf;
            }
        }

        var active = snapshot.Members.Values.Where(m => m.Status == SiloStatus.Active).ToList();
        var homes = active
            .Where(m => !string.IsNullOrEmpty(m.Name))
            .GroupBy(m => m.Name, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Min(m => m.SiloAddress)!, StringComparer.Ordinal);
        var queues = ring.UseVirtualBucketsConsistentRing ? QueuesBySilo(active.Select(m => m.SiloAddress)) : [];
        QueueId QueueOf(StreamPartition partition) => homes.TryGetValue(partition.Home, out var home) && queues.TryGetValue(home, out var local)
            ? local[(uint)partition.Stream.GetHashCode() % (uint)local.Length]
            : mapper.GetQueueForStream(partition.Stream);

        lock (_lock)
        {
            _last = (snapshot.Version, QueueOf);
        }

        return QueueOf;
    }

    /// <summary>The queues on each silo, as the default balancer places them on the ring of <paramref name="silos"/>.</summary>
    private Dictionary<SiloAddress, QueueId[]> QueuesBySilo(IEnumerable<SiloAddress> silos)
    {
        var buckets = new SortedDictionary<uint, SiloAddress>();
        foreach (var silo in silos)
        {
            foreach (var hash in silo.GetUniformHashCodes(ring.NumVirtualBucketsConsistentRing))
            {
                // Two silos on one bucket: the lesser address keeps it, as in Orleans' ring.
                if (!buckets.TryGetValue(hash, out var other) || silo.CompareTo(other) < 0)
                {
                    buckets[hash] = silo;
                }
            }
        }

        if (buckets.Count == 0)
        {
            return [];
        }

        var ordered = buckets.ToArray();
        SiloAddress Owner(uint hash) => ordered.FirstOrDefault(b => b.Key >= hash, ordered[0]).Value;
        return mapper.GetAllQueues()
            .GroupBy(q => Owner(q.GetUniformHashCode()))
            .ToDictionary(g => g.Key, g => g.OrderBy(q => q.GetUniformHashCode()).ToArray());
    }
}
