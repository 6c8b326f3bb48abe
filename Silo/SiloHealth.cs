using Efflux.Grains;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Efflux.Silo;

/// <summary>
/// Ready once the silo has joined its cluster (its own view holds it active); degraded (503 on <c>/health/ready</c>)
/// while one of its partitions is read-only after a storage failure, naming them.
/// </summary>
internal sealed class SiloHealth(ILocalSiloDetails silo, IClusterMembershipService membership, PartitionHealth partitions) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (membership.CurrentSnapshot.GetSiloStatus(silo.SiloAddress) != SiloStatus.Active)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("the silo has not joined its cluster"));
        }

        var readOnly = partitions.ReadOnlyPartitions.ToDictionary(p => p.Key, p => (object)p.Value, StringComparer.Ordinal);
        return Task.FromResult(readOnly.Count == 0
            ? HealthCheckResult.Healthy($"silo {silo.Name} ({silo.SiloAddress}) is active")
            : HealthCheckResult.Degraded($"partitions read-only after a storage failure: {string.Join(", ", readOnly.Keys.Order(StringComparer.Ordinal))}", data: readOnly));
    }
}
