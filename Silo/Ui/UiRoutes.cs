using Efflux.Silo.Api;
using Efflux.Silo.Api.Responses;

namespace Efflux.Silo.Ui;

/// <summary>
/// The Efflux pages at /ui (overview, topic and partition, consumer groups, live queries) and the JSON they poll at
/// /ui/api. The pages also call the public REST API (message browser, verify, signed head, SSE of query outputs).
/// </summary>
internal static class UiRoutes
{
    public static void Map(WebApplication app, bool dashboard)
    {
        app.MapGet("/", () => Results.Redirect("/ui/")).ExcludeFromDescription();
        app.MapGet("/ui/{file?}", (string? file, HttpContext context, UiAssets assets) => Asset(file, context, assets)).ExcludeFromDescription();
        var api = app.MapGroup("/ui/api").ExcludeFromDescription();
        api.MapGet("/site", (ILocalSiloDetails self) => Results.Ok(new { silo = self.Name, dashboard }));
        api.MapGet("/overview", OverviewAsync);
        api.MapGet("/topics/{ns}/{topic}", TopicAsync);
        api.MapGet("/queries", QueriesAsync);
    }

    private static IResult Asset(string? file, HttpContext context, UiAssets assets)
    {
        if (file is null && !context.Request.Path.Value!.EndsWith('/'))
        {
            // /ui → /ui/, so the pages' relative links resolve under /ui/.
            return Results.Redirect("/ui/");
        }

        if (assets.Find(file ?? "index.html") is not { } asset)
        {
            return Results.NotFound();
        }

        var headers = context.Response.Headers;
        headers.ETag = asset.ETag;
        headers.CacheControl = "no-cache";
        headers.ContentSecurityPolicy = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'";
        headers.XContentTypeOptions = "nosniff";
        return context.Request.Headers.IfNoneMatch == asset.ETag
            ? Results.StatusCode(StatusCodes.Status304NotModified)
            : Results.Bytes(asset.Bytes, asset.ContentType);
    }

    private static async Task<IResult> OverviewAsync(UiSampler sampler, CancellationToken cancel)
    {
        var history = await sampler.HistoryAsync(cancel);
        var last = history[^1];
        return Results.Ok(new
        {
            time = last.Time,
            silos = last.Silos,
            topics = last.Topics.Select(t =>
            {
                var series = TopicSeries(history, t.Info.Namespace, t.Info.Topic);
                return new
                {
                    @namespace = t.Info.Namespace,
                    topic = t.Info.Topic,
                    partitions = t.Info.Partitions.Select(p => new { partition = p.Partition, silo = p.Silo, nextOffset = p.NextOffset }),
                    stored = t.Stored,
                    bytes = t.Bytes,
                    groups = t.Groups.Count,
                    @in = series.LastOrDefault()?.In ?? 0,
                    @out = series.LastOrDefault()?.Out ?? 0,
                    history = series,
                };
            }),
            queries = last.Queries.Count,
        });
    }

    private static async Task<IResult> TopicAsync(string ns, string topic, IGrainFactory grains, UiSampler sampler, CancellationToken cancel)
    {
        Http.Names((ns, "namespace"), (topic, "topic"));
        var now = await UiTopics.DescribeAsync(grains, ns, topic);
        var history = await sampler.HistoryAsync(cancel);
        var series = TopicSeries(history, ns, topic);
        return Results.Ok(new
        {
            topic = TopicResponse.From(now.Info),
            @in = series.LastOrDefault()?.In ?? 0,
            @out = series.LastOrDefault()?.Out ?? 0,
            history = series,
            groups = now.Groups.Select(g => new
            {
                group = g,
                history = history
                    .Select(s => (s.Time, Lag: s.Topic(ns, topic)?.Groups.FirstOrDefault(x => x.Group == g.Group)?.Lag))
                    .Where(p => p.Lag is not null)
                    .Select(p => new { t = p.Time, lag = p.Lag }),
            }),
        });
    }

    private static async Task<IResult> QueriesAsync(UiSampler sampler, CancellationToken cancel)
    {
        var history = await sampler.HistoryAsync(cancel);
        return Results.Ok(new
        {
            time = history[^1].Time,
            queries = history[^1].Queries.Select(q =>
            {
                var series = Rates(history, s => s.Query(q.Namespace, q.Name) is { } x ? (x.EventsIn, x.RowsOut) : null);
                return new
                {
                    query = q,
                    lag = q.Sources.Sum(s => s.Lag ?? 0),
                    @in = series.LastOrDefault()?.In ?? 0,
                    @out = series.LastOrDefault()?.Out ?? 0,
                    history = series,
                };
            }),
        });
    }

    private static List<Rate> TopicSeries(IReadOnlyList<UiSample> history, string ns, string topic)
        => Rates(history, s => s.Topic(ns, topic) is { } t ? (t.Appended, t.Read) : null);

    /// <summary>
    /// Per-second rates between consecutive samples of two counters. A counter that went down (a partition reopened
    /// and its read counter restarted) counts as 0 for that step, not as a negative rate.
    /// </summary>
    private static List<Rate> Rates(IReadOnlyList<UiSample> history, Func<UiSample, (long In, long Out)?> counters)
    {
        var rates = new List<Rate>();
        for (var i = 1; i < history.Count; i++)
        {
            if (counters(history[i - 1]) is { } before && counters(history[i]) is { } after)
            {
                var seconds = (history[i].Time - history[i - 1].Time).TotalSeconds;
                if (seconds > 0)
                {
                    rates.Add(new Rate(history[i].Time, Math.Max(0, after.In - before.In) / seconds, Math.Max(0, after.Out - before.Out) / seconds));
                }
            }
        }

        return rates;
    }

    /// <summary>Messages per second in and out over the step that ends at <paramref name="T"/>.</summary>
    private sealed record Rate(DateTimeOffset T, double In, double Out);
}
