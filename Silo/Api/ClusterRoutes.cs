using System.Globalization;

namespace Efflux.Silo.Api;

/// <summary>
/// <c>GET /v1/cluster</c>: every silo of the membership table with its name, status and heartbeat, whether this silo's
/// view holds it active, and, for active ones, its grain activations by grain type.
/// </summary>
internal static class ClusterRoutes
{
    public static void Map(RouteGroupBuilder v1)
        => v1.MapGet("/cluster", ClusterAsync).WithTags("Cluster").WithSummary("Silos, their status, heartbeat and activations");

    private static async Task<IResult> ClusterAsync(ILocalSiloDetails self, IClusterMembershipService membership, IGrainFactory grains)
    {
        var management = grains.GetGrain<IManagementGrain>(0);
        var hosts = await management.GetDetailedHosts(onlyActive: false);
        var view = membership.CurrentSnapshot;
        var active = hosts.Where(h => h.Status == SiloStatus.Active).Select(h => h.SiloAddress).ToArray();
        var statistics = active.Length == 0 ? [] : await management.GetDetailedGrainStatistics(null, active);
        var silos = hosts.OrderBy(h => h.SiloName, StringComparer.Ordinal).Select(h =>
        {
            var activations = h.Status == SiloStatus.Active
                ? statistics.Where(s => s.SiloAddress.Equals(h.SiloAddress)).GroupBy(s => s.GrainId.Type.ToString()!).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal)
                : null;
            return new
            {
                name = h.SiloName,
                address = h.SiloAddress.ToString(),
                endpoint = h.SiloAddress.Endpoint.ToString(),
                gateway = h.ProxyPort > 0 ? h.SiloAddress.Endpoint.Address + ":" + h.ProxyPort.ToString(CultureInfo.InvariantCulture) : null,
                status = h.Status.ToString(),
                heartbeat = h.IAmAliveTime,
                self = h.SiloAddress.Equals(self.SiloAddress),
                inView = view.GetSiloStatus(h.SiloAddress) == SiloStatus.Active,
                grains = activations?.Values.Sum(),
                activations,
            };
        });
        return Results.Ok(new { self = self.Name, silos });
    }
}
