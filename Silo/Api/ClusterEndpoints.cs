using System.Globalization;
using Efflux.Silo.Api.Responses;
using Microsoft.AspNetCore.Http.HttpResults;
using Efflux.Silo.Security;

namespace Efflux.Silo.Api;

/// <summary>
/// <c>GET /v1/cluster</c>: every silo of the membership table with its name, status and heartbeat, whether this silo's
/// view holds it active, and, for active ones, its grain activations by grain type.
/// </summary>
internal static class ClusterEndpoints
{
    public static void MapClusterEndpoints(this RouteGroupBuilder v1)
        => v1.MapGet("/cluster", ClusterAsync).Need(Permissions.Admin).WithTags("Cluster").WithSummary("Silos, their status, heartbeat and activations");

    private static async Task<Ok<ClusterResponse>> ClusterAsync(ILocalSiloDetails self, IClusterMembershipService membership, IGrainFactory grains)
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
            return new SiloResponse(
                h.SiloName,
                h.SiloAddress.ToString(),
                h.SiloAddress.Endpoint.ToString(),
                h.ProxyPort > 0 ? h.SiloAddress.Endpoint.Address + ":" + h.ProxyPort.ToString(CultureInfo.InvariantCulture) : null,
                h.Status.ToString(),
                h.IAmAliveTime,
                h.SiloAddress.Equals(self.SiloAddress),
                view.GetSiloStatus(h.SiloAddress) == SiloStatus.Active,
                activations?.Values.Sum(),
                activations);
        });
        return TypedResults.Ok(new ClusterResponse(self.Name, [.. silos]));
    }
}
