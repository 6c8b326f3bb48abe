using System.Collections.Concurrent;

namespace Efflux.Grains;

/// <summary>The partitions of this silo that cannot take appends now, and why: the silo's readiness reports them.</summary>
public sealed class PartitionHealth
{
    private readonly ConcurrentDictionary<string, string> _readOnly = new(StringComparer.Ordinal);

    /// <summary>Partitions (<c>{ns}/{topic}/{p}</c>) that are read-only, with the reason.</summary>
    public IReadOnlyDictionary<string, string> ReadOnlyPartitions => _readOnly;

    /// <summary>Records that a partition is read-only.</summary>
    public void ReadOnly(string partition, string reason) => _readOnly[partition] = reason;

    /// <summary>Records that a partition takes appends again (or closed).</summary>
    public void Recovered(string partition) => _readOnly.TryRemove(partition, out _);
}
