using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Efflux.Silo;

/// <summary>Ready once the silo has joined its cluster (its own view holds it active).</summary>
internal sealed class SiloHealth(ILocalSiloDetails silo, IClusterMembershipService membership) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        => Task.FromResult(membership.CurrentSnapshot.GetSiloStatus(silo.SiloAddress) == SiloStatus.Active
            ? HealthCheckResult.Healthy($"silo {silo.Name} ({silo.SiloAddress}) is active")
            : HealthCheckResult.Unhealthy("the silo has not joined its cluster"));
}
