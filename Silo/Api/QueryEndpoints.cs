using System.Globalization;
using System.Text;
using System.Text.Json;
using Efflux.Grains;
using Efflux.Grains.Queries;
using Efflux.Processing.Parsing;
using Efflux.Silo.Api.Responses;
using Microsoft.AspNetCore.Http.HttpResults;
using Efflux.Silo.Security;

namespace Efflux.Silo.Api;

/// <summary>Create, list, describe, stop, start and delete live EffluxQL queries.</summary>
internal static class QueryEndpoints
{
    public static void MapQueryEndpoints(this RouteGroupBuilder v1)
    {
        var queries = v1.MapResource("/queries", "Queries");
        queries.MapPut("/{ns}/{name}", CreateAsync).Need(Permissions.Admin).WithSummary("Create a live query: EffluxQL as text/plain, or JSON {query, start, shards, idleTimeout}")
            .Accepts<string>("text/plain", "application/json").ProducesProblem(StatusCodes.Status409Conflict);
        queries.MapGet("/{ns}", ListAsync).Need(Permissions.Read).WithSummary("The live queries of a namespace, described");
        queries.MapGet("/{ns}/{name}", DescribeAsync).Need(Permissions.Read).WithSummary("Text, status, progress per source partition, rows out, watermark, last error");
        queries.MapPost("/{ns}/{name}/stop", StopAsync).Need(Permissions.Admin).WithSummary("Stop reading (state and positions are kept)");
        queries.MapPost("/{ns}/{name}/start", StartAsync).Need(Permissions.Admin).WithSummary("Start a stopped query again where it stopped");
        queries.MapDelete("/{ns}/{name}", DeleteAsync).Need(Permissions.Admin).WithSummary("Stop a query and remove its state (its output topics stay)");
    }

    private static async Task<Results<Created<QueryInfo>, Ok<QueryInfo>, ProblemHttpResult>> CreateAsync(string ns, string name, HttpRequest request, IGrainFactory grains)
    {
        Http.Names((ns, "namespace"), (name, "query"));
        var definition = await DefinitionAsync(request);
        try
        {
            QueryText.Check(definition.Text, name);
        }
        catch (QueryException ex)
        {
            return TypedResults.Problem(
                detail: ex.Message,
                statusCode: StatusCodes.Status400BadRequest,
                title: "Invalid query",
                type: "https://efflux.dev/problems/invalid-query",
                extensions: new Dictionary<string, object?> { ["line"] = ex.Position.Line, ["column"] = ex.Position.Column, ["problem"] = ex.Problem });
        }

        var grain = grains.GetGrain<IQueryGrain>(ns + "/" + name);
        var existed = await ExistsAsync(grain);
        var info = await grain.CreateAsync(definition);
        return existed ? TypedResults.Ok(info) : TypedResults.Created($"/v1/queries/{ns}/{name}", info);
    }

    private static async Task<Ok<QueryListResponse>> ListAsync(string ns, IGrainFactory grains)
    {
        Http.Names((ns, "namespace"));
        var names = await grains.GetGrain<IQueryCatalogGrain>(ns).ListAsync();
        var infos = await Task.WhenAll(names.Select(n => grains.GetGrain<IQueryGrain>(ns + "/" + n).DescribeAsync()));
        return TypedResults.Ok(new QueryListResponse(ns, [.. infos]));
    }

    private static async Task<Ok<QueryInfo>> DescribeAsync(string ns, string name, IGrainFactory grains)
    {
        Http.Names((ns, "namespace"), (name, "query"));
        return TypedResults.Ok(await grains.GetGrain<IQueryGrain>(ns + "/" + name).DescribeAsync());
    }

    private static async Task<Ok<QueryInfo>> StopAsync(string ns, string name, IGrainFactory grains)
    {
        Http.Names((ns, "namespace"), (name, "query"));
        return TypedResults.Ok(await grains.GetGrain<IQueryGrain>(ns + "/" + name).StopAsync());
    }

    private static async Task<Ok<QueryInfo>> StartAsync(string ns, string name, IGrainFactory grains)
    {
        Http.Names((ns, "namespace"), (name, "query"));
        return TypedResults.Ok(await grains.GetGrain<IQueryGrain>(ns + "/" + name).StartAsync());
    }

    private static async Task<NoContent> DeleteAsync(string ns, string name, IGrainFactory grains)
    {
        Http.Names((ns, "namespace"), (name, "query"));
        await grains.GetGrain<IQueryGrain>(ns + "/" + name).DeleteAsync();
        return TypedResults.NoContent();
    }

    private static async Task<bool> ExistsAsync(IQueryGrain grain)
    {
        try
        {
            await grain.DescribeAsync();
            return true;
        }
        catch (EffluxException ex) when (ex.Error == EffluxError.NotFound)
        {
            return false;
        }
    }

    /// <summary>The body: the EffluxQL text as text/plain, or JSON <c>{"query": "...", "start": ..., "shards": n, "idleTimeout": "5s"}</c>.</summary>
    private static async Task<QueryDefinition> DefinitionAsync(HttpRequest request)
    {
        if (!request.HasJsonContentType())
        {
            using var reader = new StreamReader(request.Body, Encoding.UTF8);
            var text = await reader.ReadToEndAsync(request.HttpContext.RequestAborted);
            return string.IsNullOrWhiteSpace(text) ? throw EffluxException.Invalid("The body must be the EffluxQL text (text/plain) or JSON {\"query\": \"...\"}.") : new QueryDefinition { Text = text };
        }

        using var body = await Http.JsonBodyAsync(request);
        if (body.RootElement.ValueKind != JsonValueKind.Object)
        {
            throw EffluxException.Invalid("The body must be a JSON object such as {\"query\": \"SELECT ...\", \"start\": \"earliest\"}.");
        }

        var definition = new QueryDefinition();
        foreach (var field in body.RootElement.EnumerateObject())
        {
            switch (field.Name)
            {
                case "query": definition.Text = Http.JsonString(field.Value, "query") ?? ""; break;
                case "start": definition.Start = Start(field.Value); break;
                case "shards": definition.Shards = (int)Math.Clamp(Http.JsonInteger(field.Value, "shards"), int.MinValue, int.MaxValue); break;
                case "idleTimeout": definition.IdleTimeout = Durations.Parse(Http.JsonString(field.Value, "idleTimeout"), "idleTimeout"); break;
                default: throw Http.UnknownField(field.Name, "a query", "query, start, shards and idleTimeout");
            }
        }

        return string.IsNullOrWhiteSpace(definition.Text) ? throw EffluxException.Invalid("query (the EffluxQL text) is required.") : definition;
    }

    /// <summary><c>"earliest"</c>, <c>"latest"</c>, an ISO-8601 time, or an object of offsets by <c>{p}</c> or <c>{topic}/{p}</c>.</summary>
    private static QueryStart Start(JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Object)
        {
            var offsets = new Dictionary<string, long>();
            foreach (var field in value.EnumerateObject())
            {
                var offset = Http.JsonInteger(field.Value, "start." + field.Name);
                offsets[field.Name] = offset >= 0 ? offset : throw EffluxException.Invalid($"start.{field.Name} must be an offset (0 or more).");
            }

            return new QueryStart { Offsets = offsets };
        }

        return Http.JsonString(value, "start") switch
        {
            null or "earliest" => QueryStart.Earliest,
            "latest" => QueryStart.Latest,
            var text when DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time) => new QueryStart { Time = time },
            var text => throw EffluxException.Invalid($"start must be \"earliest\", \"latest\", an ISO-8601 time or an object of offsets by partition, not '{text}'."),
        };
    }
}
