using Efflux.Grains;
using Efflux.Silo.Api.Responses;
using Microsoft.AspNetCore.Http.HttpResults;
using Efflux.Silo.Security;

namespace Efflux.Silo.Api;

/// <summary>Verification of a range, the signed head, and verification against a checkpoint kept elsewhere.</summary>
internal static class IntegrityEndpoints
{
    public static void MapIntegrityEndpoints(this RouteGroupBuilder v1)
    {
        var integrity = v1.MapResource("/topics/{ns}/{topic}/partitions/{p:int}", "Integrity");
        integrity.MapGet("/verify", VerifyAsync).Need(Permissions.Read).WithSummary("Re-hash a range of offsets (default: the whole partition) and check every link");
        integrity.MapGet("/head", HeadAsync).Need(Permissions.Read).WithSummary("The head offset and fingerprint as a checkpoint signed with the silo's key")
            .Produces<SignedHeadResponse>();
        integrity.MapPost("/verify-checkpoint", VerifyCheckpointAsync).Need(Permissions.Read).WithSummary("Verify the partition against a saved signed checkpoint (detects truncation and tail rewrites)");
    }

    private static IPartitionGrain Partition(IGrainFactory grains, string ns, string topic, int p)
    {
        Http.Names((ns, "namespace"), (topic, "topic"));
        return grains.GetGrain<IPartitionGrain>(GrainKeys.Partition(ns, topic, Http.Partition(p)));
    }

    private static async Task<Ok<VerifyResult>> VerifyAsync(string ns, string topic, int p, long? from, long? to, IGrainFactory grains)
        => TypedResults.Ok(await Partition(grains, ns, topic, p).VerifyAsync(Http.Offset(from, "from"), Http.Offset(to, "to")));

    // The signed document goes out byte for byte as signed, so it is not re-serialized.
    private static async Task<IResult> HeadAsync(string ns, string topic, int p, IGrainFactory grains)
        => Results.Text(await Partition(grains, ns, topic, p).HeadAsync(), "application/json");

    private static async Task<Ok<VerifyResult>> VerifyCheckpointAsync(string ns, string topic, int p, HttpRequest request, IGrainFactory grains)
    {
        using var reader = new StreamReader(request.Body);
        var checkpoint = await reader.ReadToEndAsync(request.HttpContext.RequestAborted);
        return TypedResults.Ok(await Partition(grains, ns, topic, p).VerifyCheckpointAsync(checkpoint));
    }
}
