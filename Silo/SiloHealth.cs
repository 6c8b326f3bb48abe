using Efflux.Runtime.Hosting;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Efflux.Silo;

/// <summary>Ready once the silo has joined its cluster (it appears among the active silos).</summary>
internal sealed class SiloHealth(ISiloDetails silo) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        => Task.FromResult(silo.Address is { } self && silo.ActiveSilos.Contains(self)
            ? HealthCheckResult.Healthy($"silo {self} is active")
            : HealthCheckResult.Unhealthy("the silo has not joined its cluster"));
}
