using Efflux.Grains;
using Efflux.Runtime;
using Efflux.Runtime.Hosting;

namespace Efflux.Silo.Api;

/// <summary><c>GET /v1/cluster</c>: every silo of the membership table with its status, whether this silo's view holds it active, and, for active ones, its grains.</summary>
internal static class ClusterRoutes
{
    public static void Map(RouteGroupBuilder v1)
        => v1.MapGet("/cluster", ClusterAsync).WithTags("Cluster").WithSummary("Silos, their status, heartbeat and activations");

    private static async Task<IResult> ClusterAsync(ISiloDetails details, IGrainFactory grains, CancellationToken cancellationToken)
    {
        var rows = await details.MembershipAsync(cancellationToken);
        var silos = await Task.WhenAll(rows.OrderBy(r => r.Key.Endpoint, StringComparer.Ordinal).Select(async row =>
        {
            Dictionary<string, int>? activations = null;
            if (row.Value.Status == Efflux.Runtime.Membership.SiloStatus.Active)
            {
                try
                {
                    activations = await grains.GetGrain<ISiloGrain>(row.Key.Endpoint).GetActivationsAsync();
                }
                catch (Exception ex) when (EffluxException.From(ex) is not null)
                {
                    // Active in the table but not answering: reported without grain counts.
                }
            }

            return new
            {
                address = row.Key.ToString(),
                endpoint = row.Key.Endpoint,
                status = row.Value.Status.ToString(),
                heartbeat = row.Value.Heartbeat,
                self = row.Key == details.Address,
                inView = details.ActiveSilos.Contains(row.Key),
                grains = activations?.Values.Sum(),
                activations,
            };
        }));
        return Results.Ok(new { self = details.Address?.ToString(), silos });
    }
}
