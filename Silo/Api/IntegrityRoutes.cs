using Efflux.Grains;

namespace Efflux.Silo.Api;

/// <summary>Verification of a range, the signed head, and verification against a checkpoint kept elsewhere.</summary>
internal static class IntegrityRoutes
{
    public static void Map(RouteGroupBuilder v1)
    {
        var integrity = v1.MapGroup("/topics/{ns}/{topic}/partitions/{p}").WithTags("Integrity");
        integrity.MapGet("/verify", VerifyAsync).WithSummary("Re-hash a range of offsets (default: the whole partition) and check every link");
        integrity.MapGet("/head", HeadAsync).WithSummary("The head offset and fingerprint as a checkpoint signed with the silo's key");
        integrity.MapPost("/verify-checkpoint", VerifyCheckpointAsync).WithSummary("Verify the partition against a saved signed checkpoint (detects truncation and tail rewrites)");
    }

    private static IPartitionGrain Partition(IGrainFactory grains, string ns, string topic, string p)
    {
        Http.Names((ns, "namespace"), (topic, "topic"));
        return grains.GetGrain<IPartitionGrain>(GrainKeys.Partition(ns, topic, Http.Partition(p)));
    }

    private static async Task<IResult> VerifyAsync(string ns, string topic, string p, string? from, string? to, IGrainFactory grains)
        => Results.Ok(Json.Verify(await Partition(grains, ns, topic, p).VerifyAsync(Http.Offset(from, "from"), Http.Offset(to, "to"))));

    private static async Task<IResult> HeadAsync(string ns, string topic, string p, IGrainFactory grains)
        => Results.Text(await Partition(grains, ns, topic, p).HeadAsync(), "application/json");

    private static async Task<IResult> VerifyCheckpointAsync(string ns, string topic, string p, HttpRequest request, IGrainFactory grains)
    {
        using var reader = new StreamReader(request.Body);
        var checkpoint = await reader.ReadToEndAsync(request.HttpContext.RequestAborted);
        return Results.Ok(Json.Verify(await Partition(grains, ns, topic, p).VerifyCheckpointAsync(checkpoint)));
    }
}
