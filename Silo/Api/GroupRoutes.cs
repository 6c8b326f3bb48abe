using System.Text.Json;
using Efflux.Grains;
using Microsoft.Extensions.Options;

namespace Efflux.Silo.Api;

/// <summary>Consumer groups: offsets and lag, commits, and reads from the committed offsets.</summary>
internal static class GroupRoutes
{
    public static void Map(RouteGroupBuilder v1)
    {
        var groups = v1.MapGroup("/topics/{ns}/{topic}/groups/{group}").WithTags("Consumer groups");
        groups.MapGet("", DescribeAsync).WithSummary("Committed offset, end and lag per partition");
        groups.MapPost("/commit", CommitAsync).WithSummary("Commit the next offset to read for a partition (never backwards)");
        v1.MapGet("/topics/{ns}/{topic}/groups", ListAsync).WithTags("Consumer groups").WithSummary("Every group that has committed an offset of the topic, described");
        groups.MapGet("/messages", ReadAsync).WithSummary("Records from the group's committed offsets (does not commit)");
    }

    private static IConsumerGroupGrain Group(IGrainFactory grains, string ns, string topic, string group)
    {
        Http.Names((ns, "namespace"), (topic, "topic"), (group, "group"));
        return grains.GetGrain<IConsumerGroupGrain>(GrainKeys.Group(ns, topic, group));
    }

    private static async Task<IResult> DescribeAsync(string ns, string topic, string group, IGrainFactory grains)
        => Results.Ok(Describe(await Group(grains, ns, topic, group).DescribeAsync()));

    private static async Task<IResult> ListAsync(string ns, string topic, IGrainFactory grains)
    {
        Http.Names((ns, "namespace"), (topic, "topic"));
        await grains.GetGrain<ITopicGrain>(GrainKeys.Topic(ns, topic)).GetConfigAsync();
        return Results.Ok(new { @namespace = ns, topic, groups = (await DescribeAllAsync(grains, ns, topic)).Select(Describe) });
    }

    /// <summary>Every group that has committed an offset of the topic, described.</summary>
    public static async Task<GroupInfo[]> DescribeAllAsync(IGrainFactory grains, string ns, string topic)
    {
        var names = await grains.GetGrain<IGroupCatalogGrain>(GrainKeys.Topic(ns, topic)).ListAsync();
        return await Task.WhenAll(names.Select(g => grains.GetGrain<IConsumerGroupGrain>(GrainKeys.Group(ns, topic, g)).DescribeAsync()));
    }

    /// <summary>A group as REST shows it.</summary>
    public static object Describe(GroupInfo info) => new
    {
        group = info.Group,
        lag = info.Lag,
        partitions = info.Partitions.Select(p => new { partition = p.Partition, committed = p.Committed, end = p.End, lag = p.Lag }),
    };

    private static async Task<IResult> CommitAsync(string ns, string topic, string group, HttpRequest request, IGrainFactory grains)
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

        var committed = await grain.CommitAsync(partition, offset.Value);
        return Results.Ok(new { partition, committed });
    }

    private static async Task ReadAsync(string ns, string topic, string group, HttpContext http, IGrainFactory grains, IOptions<EffluxOptions> options)
    {
        var grain = Group(grains, ns, topic, group);
        var max = Http.Int(http.Request.Query["max"].FirstOrDefault(), "max", 100, 1, 10_000);
        var wait = Http.Duration(http.Request.Query["wait"].FirstOrDefault(), "wait") ?? TimeSpan.Zero;
        if (wait > options.Value.MaxWait)
        {
            throw EffluxException.Invalid($"wait may be at most {Json.Duration(options.Value.MaxWait)}.");
        }

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
                var batch = await partition.FetchBatchAsync(from, max, 4 << 20, wait, first.Token);
                if (batch.Count > 0)
                {
                    await first.CancelAsync();
                }

                return batch;
            }
            catch (OperationCanceledException) when (first.IsCancellationRequested && !http.RequestAborted.IsCancellationRequested)
            {
                return await partition.FetchBatchAsync(from, max, 4 << 20, TimeSpan.Zero, http.RequestAborted);
            }
        }).ToList();
        var batches = await Task.WhenAll(reads);
        await ReadRoutes.WriteBatchAsync(http.Response, batches);
    }
}
