using System.Text.Json;
using Efflux.Grains;
using Efflux.Silo.Api.Responses;
using Microsoft.AspNetCore.Http.HttpResults;
using Efflux.Silo.Security;

namespace Efflux.Silo.Api;

/// <summary>Create, describe, list and delete topics.</summary>
internal static class TopicEndpoints
{
    public static void MapTopicEndpoints(this RouteGroupBuilder v1)
    {
        var topics = v1.MapResource("/topics", "Topics");
        topics.MapPut("/{ns}/{topic}", CreateAsync).Need(Permissions.Admin).WithSummary("Create a topic, or change the retention and limits of one")
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        topics.MapGet("/{ns}/{topic}", DescribeAsync).Need(Permissions.Read).WithSummary("Configuration and per-partition offsets, size and head");
        topics.MapGet("/{ns}", ListAsync).Need(Permissions.Read).WithSummary("The topics of a namespace");
        topics.MapDelete("/{ns}/{topic}", DeleteAsync).Need(Permissions.Admin).WithSummary("Delete a topic and all its data");
        v1.MapGet("/namespaces", NamespacesAsync).Need(Permissions.None).WithTags("Topics").WithSummary("The namespaces that hold topics");
    }

    private static async Task<Results<Created<TopicResponse>, Ok<TopicResponse>>> CreateAsync(string ns, string topic, HttpRequest request, IGrainFactory grains)
    {
        Http.Names((ns, "namespace"), (topic, "topic"));
        var config = new TopicConfig();
        if (request.ContentLength != 0 && request.HasJsonContentType())
        {
            using var body = await Http.JsonBodyAsync(request);
            if (body.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw EffluxException.Invalid("The body must be a JSON object such as {\"partitions\":3,\"retention\":\"7d\"}.");
            }

            foreach (var field in body.RootElement.EnumerateObject())
            {
                switch (field.Name)
                {
                    case "partitions": config.Partitions = Number(field, int.MaxValue) is var p and <= EffluxOptions.MaxPartitions ? (int)p : throw EffluxException.Invalid($"partitions must be 1 to {EffluxOptions.MaxPartitions}."); break;
                    case "retention": config.RetentionAge = Durations.Parse(Http.JsonString(field.Value, "retention"), "retention"); break;
                    case "retentionBytes": config.RetentionBytes = Number(field, long.MaxValue); break;
                    case "maxMessageBytes": config.MaxMessageBytes = (int)Number(field, int.MaxValue); break;
                    case "segmentBytes": config.SegmentBytes = Number(field, long.MaxValue); break;
                    default: throw EffluxException.Invalid($"Unknown topic setting '{field.Name}': use partitions, retention, retentionBytes, maxMessageBytes, segmentBytes.");
                }
            }
        }

        var grain = grains.GetGrain<ITopicGrain>(GrainKeys.Topic(ns, topic));
        var created = await grain.CreateOrUpdateAsync(config);

        // A new topic is described without opening its partitions: they open when first used.
        var info = TopicResponse.From(created ? await grain.DescribeCreatedAsync() : await grain.DescribeAsync());
        return created ? TypedResults.Created($"/v1/topics/{ns}/{topic}", info) : TypedResults.Ok(info);
    }

    private static async Task<Ok<TopicResponse>> DescribeAsync(string ns, string topic, IGrainFactory grains)
    {
        Http.Names((ns, "namespace"), (topic, "topic"));
        return TypedResults.Ok(TopicResponse.From(await grains.GetGrain<ITopicGrain>(GrainKeys.Topic(ns, topic)).DescribeAsync()));
    }

    private static async Task<Ok<TopicListResponse>> ListAsync(string ns, IGrainFactory grains)
    {
        Http.Names((ns, "namespace"));
        return TypedResults.Ok(new TopicListResponse(ns, await grains.GetGrain<INamespaceGrain>(ns).ListAsync()));
    }

    /// <summary>The namespaces the caller holds any permission on.</summary>
    private static async Task<Ok<NamespaceListResponse>> NamespacesAsync(IGrainFactory grains, HttpContext http)
    {
        var caller = Callers.Of(http);
        var all = await grains.GetGrain<INamespaceCatalogGrain>(INamespaceCatalogGrain.Key).ListAsync();
        return TypedResults.Ok(new NamespaceListResponse([.. all.Where(ns => caller.Allows(ns, Permissions.Read | Permissions.Write | Permissions.Admin))]));
    }

    private static async Task<NoContent> DeleteAsync(string ns, string topic, IGrainFactory grains, TopicRouter router)
    {
        Http.Names((ns, "namespace"), (topic, "topic"));
        await grains.GetGrain<ITopicGrain>(GrainKeys.Topic(ns, topic)).DeleteAsync();
        router.Forget(ns, topic);
        return TypedResults.NoContent();
    }

    private static long Number(JsonProperty field, long max)
        => field.Value.ValueKind == JsonValueKind.Number && field.Value.TryGetInt64(out var value) && value > 0 && value <= max
            ? value
            : throw EffluxException.Invalid($"{field.Name} must be a positive integer.");
}
