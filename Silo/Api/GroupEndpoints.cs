using System.Text.Json;
using Efflux.Grains;
using Efflux.Silo.Api.Responses;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Efflux.Silo.Security;

namespace Efflux.Silo.Api;

/// <summary>Consumer groups: offsets and lag, commits, and reads from the committed offsets.</summary>
internal static class GroupEndpoints
{
    public static void MapGroupEndpoints(this RouteGroupBuilder v1)
    {
        var topic = v1.MapResource("/topics/{ns}/{topic}/groups", "Consumer groups");
        topic.MapGet("", ListAsync).Need(Permissions.Read).WithSummary("Every group that has committed an offset of the topic, described");
        var group = topic.MapGroup("/{group}");
        group.MapGet("", DescribeAsync).Need(Permissions.Read).WithSummary("Committed offset, end and lag per partition");
        group.MapPost("/commit", CommitAsync).Need(Permissions.Read).WithSummary("Commit the next offset to read for a partition (never backwards)")
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status416RangeNotSatisfiable);
        group.MapGet("/messages", ReadAsync).Need(Permissions.Read, Quota.Consume).WithSummary("Records from the group's committed offsets (does not commit)")
            .Produces<MessageBatchResponse>();
    }

    private static IConsumerGroupGrain Group(IGrainFactory grains, string ns, string topic, string group)
    {
        Http.Names((ns, "namespace"), (topic, "topic"), (group, "group"));
        return grains.GetGrain<IConsumerGroupGrain>(GrainKeys.Group(ns, topic, group));
    }

    private static async Task<Ok<GroupInfo>> DescribeAsync(string ns, string topic, string group, IGrainFactory grains)
        => TypedResults.Ok(await Group(grains, ns, topic, group).DescribeAsync());

    private static async Task<Ok<GroupListResponse>> ListAsync(string ns, string topic, IGrainFactory grains)
    {
        Http.Names((ns, "namespace"), (topic, "topic"));
        await grains.GetGrain<ITopicGrain>(GrainKeys.Topic(ns, topic)).GetConfigAsync();
        return TypedResults.Ok(new GroupListResponse(ns, topic, await DescribeAllAsync(grains, ns, topic)));
    }

    /// <summary>Every group that has committed an offset of the topic, described.</summary>
    public static async Task<GroupInfo[]> DescribeAllAsync(IGrainFactory grains, string ns, string topic)
    {
        var names = await grains.GetGrain<IGroupCatalogGrain>(GrainKeys.Topic(ns, topic)).ListAsync();
        return await Task.WhenAll(names.Select(g => grains.GetGrain<IConsumerGroupGrain>(GrainKeys.Group(ns, topic, g)).DescribeAsync()));
    }

    private static async Task<Ok<CommitResponse>> CommitAsync(string ns, string topic, string group, HttpRequest request, IGrainFactory grains)
    {
        var grain = Group(grains, ns, topic, group);
        using var body = await Http.JsonBodyAsync(request);
        const string Shape = "A commit is {\"partition\": N, \"offset\": N} where offset is the next offset to read.";
        if (body.RootElement.ValueKind != JsonValueKind.Object)
        {
            throw EffluxException.Invalid(Shape);
        }

        long? p = null;
        long? offset = null;
        foreach (var field in body.RootElement.EnumerateObject())
        {
            switch (field.Name)
            {
                case "partition": p = Http.JsonInteger(field.Value, "partition"); break;
                case "offset": offset = Http.JsonInteger(field.Value, "offset"); break;
                default: throw Http.UnknownField(field.Name, "a commit", "partition and offset");
            }
        }

        if (p is not { } wanted || offset is null)
        {
            throw EffluxException.Invalid(Shape);
        }

        var partition = wanted is >= 0 and < EffluxOptions.MaxPartitions ? (int)wanted : throw EffluxException.Invalid($"partition must be a partition number (0 to {EffluxOptions.MaxPartitions - 1}), not {wanted}.");

        return TypedResults.Ok(new CommitResponse(partition, await grain.CommitAsync(partition, offset.Value)));
    }

    private static async Task ReadAsync(string ns, string topic, string group, int? max, string? wait, HttpContext http, IGrainFactory grains, IOptions<EffluxOptions> options)
    {
        var grain = Group(grains, ns, topic, group);
        var most = Http.Range(max, "max", 100, 1, 10_000);
        var waiting = Http.Wait(wait, options.Value.MaxWait);
        using var open = RestLimits.OpenRead(http, waiting);

        var config = await grains.GetGrain<ITopicGrain>(GrainKeys.Topic(ns, topic)).GetConfigAsync();
        var committed = await grain.GetCommittedAsync();

        // Every partition at once; the first that has records ends the others' waits.
        using var first = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted);
        var reads = Enumerable.Range(0, config.Partitions).Select(async p =>
        {
            var from = committed.TryGetValue(p, out var c) ? c : -1;
            var partition = grains.GetGrain<IPartitionGrain>(GrainKeys.Partition(ns, topic, p));
            try
            {
                var batch = await partition.FetchBatchAsync(from, most, 4 << 20, waiting, first.Token);
                if (batch.Count > 0)
                {
                    await first.CancelAsync();
                }

                return batch;
            }
            catch (OperationCanceledException) when (first.IsCancellationRequested && !http.RequestAborted.IsCancellationRequested)
            {
                return await partition.FetchBatchAsync(from, most, 4 << 20, TimeSpan.Zero, http.RequestAborted);
            }
        }).ToList();
        var batches = await Task.WhenAll(reads);
        await ReadEndpoints.WriteBatchAsync(http.Response, batches);
    }
}
