using Efflux.Client;
using System.Text.Json;
using Efflux.Grains;
using Efflux.Silo.Api.Responses;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Efflux.Silo.Security;

namespace Efflux.Silo.Api;

/// <summary>
/// FetchBatch / Poll / LongPoll, Fetch, fetch by id, Server-Sent Events, offset for time and search. Records are written
/// straight from their stored bytes (<see cref="MessageJson"/>), not serialized through the response records, which
/// describe the shapes for the OpenAPI document.
/// </summary>
internal static class ReadEndpoints
{
    public static void MapReadEndpoints(this RouteGroupBuilder v1)
    {
        var reads = v1.MapResource("/topics/{ns}/{topic}", "Read");
        reads.MapGet("/partitions/{p:int}/messages", BatchAsync).Need(Permissions.Read, Quota.Consume).WithSummary("Records from an offset (FetchBatch, Poll; LongPoll with wait)")
            .Produces<MessageBatchResponse>().ProducesProblem(StatusCodes.Status416RangeNotSatisfiable);
        reads.MapGet("/partitions/{p:int}/messages/{offset:long}", FetchAsync).Need(Permissions.Read, Quota.Consume).WithSummary("One record (Fetch); raw=true returns the payload with metadata headers, format=cloudevent a structured CloudEvent")
            .Produces<MessageResponse>();
        reads.MapGet("/messages/by-id/{id}", ByIdAsync).Need(Permissions.Read, Quota.Consume).WithSummary("The record with an id, from whichever partition holds it")
            .Produces<MessageResponse>();
        reads.MapGet("/partitions/{p:int}/stream", StreamAsync).Need(Permissions.Read, Quota.Consume).WithSummary("Server-Sent Events from an offset, following the tail (event id = offset; resumes after Last-Event-ID)")
            .Produces<MessageResponse>(StatusCodes.Status200OK, "text/event-stream").ProducesProblem(StatusCodes.Status416RangeNotSatisfiable);
        reads.MapGet("/partitions/{p:int}/offsets", OffsetForTimeAsync).Need(Permissions.Read).WithSummary("The first offset at or after a time");
        reads.MapGet("/search", SearchAsync).Need(Permissions.Read, Quota.Consume).WithSummary("Records by dataType, messageGroup, contentType, property.{name} and time range, from the index")
            .Produces<SearchResponse>();
    }

    private static IPartitionGrain Partition(IGrainFactory grains, string ns, string topic, int p)
    {
        Http.Names((ns, "namespace"), (topic, "topic"));
        return grains.GetGrain<IPartitionGrain>(GrainKeys.Partition(ns, topic, Http.Partition(p)));
    }

    private static async Task BatchAsync(
        string ns,
        string topic,
        int p,
        long? from,
        int? max,
        int? maxBytes,
        string? wait,
        HttpContext http,
        IGrainFactory grains,
        IOptions<EffluxOptions> options)
    {
        var partition = Partition(grains, ns, topic, p);
        var waiting = Http.Wait(wait, options.Value.MaxWait);
        using var open = RestLimits.OpenRead(http, waiting);
        var batch = await partition.FetchBatchAsync(
            Http.Offset(from, "from") ?? -1,
            Http.Range(max, "max", 100, 1, 10_000),
            Http.Range(maxBytes, "maxBytes", 4 << 20, 1, 16 << 20),
            waiting,
            http.RequestAborted);
        await WriteBatchAsync(http.Response, [batch]);
    }

    /// <summary><c>{"messages":[…],"partitions":[{"partition","nextOffset","endOffset","startOffset"}]}</c>.</summary>
    public static async Task WriteBatchAsync(HttpResponse response, IReadOnlyList<RecordBatch> batches)
    {
        response.ContentType = "application/json";
        await using var w = new Utf8JsonWriter(response.BodyWriter.AsStream());
        w.WriteStartObject();
        w.WriteStartArray("messages");
        foreach (var batch in batches)
        {
            foreach (var message in batch.Messages())
            {
                MessageJson.Write(w, message);
            }
        }

        w.WriteEndArray();
        w.WriteStartArray("partitions");
        foreach (var batch in batches)
        {
            w.WriteStartObject();
            w.WriteNumber("partition", batch.Partition);
            w.WriteNumber("nextOffset", batch.NextOffset);
            w.WriteNumber("endOffset", batch.EndOffset);
            w.WriteNumber("startOffset", batch.StartOffset);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static async Task<IResult> FetchAsync(string ns, string topic, int p, long offset, bool? raw, string? format, HttpContext http, IGrainFactory grains)
    {
        var record = await Partition(grains, ns, topic, p).FetchAsync(offset)
            ?? throw new EffluxException(EffluxError.NotFound, $"Partition {p} of {ns}/{topic} holds no offset {offset}.");
        return await WriteOneAsync(http, EffluxMessage.From(p, record), raw == true, format);
    }

    private static async Task<IResult> ByIdAsync(string ns, string topic, string id, bool? raw, string? format, HttpContext http, IGrainFactory grains)
    {
        Http.Names((ns, "namespace"), (topic, "topic"));
        var config = await grains.GetGrain<ITopicGrain>(GrainKeys.Topic(ns, topic)).GetConfigAsync();
        var found = await Task.WhenAll(Enumerable.Range(0, config.Partitions).Select(async p =>
            (Partition: p, Record: await grains.GetGrain<IPartitionGrain>(GrainKeys.Partition(ns, topic, p)).FetchByIdAsync(id))));
        var hit = found.FirstOrDefault(f => f.Record is not null);
        return hit.Record is null
            ? throw new EffluxException(EffluxError.NotFound, $"No message of {ns}/{topic} has id '{id}'.")
            : await WriteOneAsync(http, EffluxMessage.From(hit.Partition, hit.Record), raw == true, format);
    }

    private static async Task<IResult> WriteOneAsync(HttpContext http, EffluxMessage message, bool raw, string? format)
    {
        var response = http.Response;
        if (raw)
        {
            response.Headers["Efflux-Id"] = message.Id;
            response.Headers["Efflux-Partition"] = message.Partition.ToString(System.Globalization.CultureInfo.InvariantCulture);
            response.Headers["Efflux-Offset"] = message.Offset.ToString(System.Globalization.CultureInfo.InvariantCulture);
            response.Headers["Efflux-Timestamp"] = message.Timestamp.ToString("O", System.Globalization.CultureInfo.InvariantCulture);
            response.Headers["Efflux-Fingerprint"] = Convert.ToBase64String(message.Fingerprint.Span);
            if (message.DataType is { } dataType)
            {
                response.Headers["Efflux-Data-Type"] = dataType;
            }

            if (message.MessageGroup is { } group)
            {
                response.Headers["Efflux-Message-Group"] = group;
            }

            foreach (var (k, v) in message.Properties)
            {
                response.Headers["Efflux-Property-" + k] = v;
            }

            // A payload whose encoding cannot be undone here goes out as stored, its encoding stated.
            if (!message.TryDecodePayload(out var payload) && message.ContentEncoding is { } encoding)
            {
                response.Headers.ContentEncoding = encoding;
            }

            return Results.Bytes(payload, message.ContentType ?? "application/octet-stream");
        }

        var cloudEvent = format switch
        {
            null or "json" => false,
            "cloudevent" => true,
            _ => throw EffluxException.Invalid($"format must be json or cloudevent, not '{format}'."),
        };
        response.ContentType = cloudEvent ? CloudEvents.Structured : "application/json";
        await using (var w = new Utf8JsonWriter(response.BodyWriter.AsStream()))
        {
            if (cloudEvent)
            {
                CloudEventJson.Write(w, message);
            }
            else
            {
                MessageJson.Write(w, message);
            }
        }

        return Results.Empty;
    }

    private static async Task StreamAsync(
        string ns,
        string topic,
        int p,
        long? from,
        [FromHeader(Name = "Last-Event-ID")] long? lastEventId,
        HttpContext http,
        IGrainFactory grains,
        IOptions<EffluxOptions> options)
    {
        var partition = Partition(grains, ns, topic, p);
        var start = Http.Offset(lastEventId, "Last-Event-ID") is { } last
            ? last < long.MaxValue ? last + 1 : throw EffluxException.Invalid($"Last-Event-ID {last} is past every offset a partition can hold.")
            : Http.Offset(from, "from") ?? -1;

        using var open = RestLimits.OpenRead(http, options.Value.MaxWait);

        // Fail before the stream starts (a bad offset or a missing topic is a problem document, not an empty stream).
        var batch = await partition.FetchBatchAsync(start, 500, 1 << 20, TimeSpan.Zero, http.RequestAborted);
        var response = http.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        var output = new System.Buffers.ArrayBufferWriter<byte>();
        try
        {
            while (!http.RequestAborted.IsCancellationRequested)
            {
                if (batch.Count == 0)
                {
                    await response.WriteAsync(": waiting\n\n", http.RequestAborted);
                }

                foreach (var message in batch.Messages())
                {
                    output.ResetWrittenCount();
                    await using (var w = new Utf8JsonWriter(output))
                    {
                        MessageJson.Write(w, message);
                    }

                    await response.WriteAsync(FormattableString.Invariant($"id: {message.Offset}\nevent: message\ndata: "), http.RequestAborted);
                    await response.Body.WriteAsync(output.WrittenMemory, http.RequestAborted);
                    await response.WriteAsync("\n\n", http.RequestAborted);
                }

                await response.Body.FlushAsync(http.RequestAborted);
                batch = await partition.FetchBatchAsync(batch.NextOffset, 500, 1 << 20, options.Value.MaxWait / 2, http.RequestAborted);
            }
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            // The client went away.
        }
    }

    private static async Task<Ok<OffsetForTimeResponse>> OffsetForTimeAsync(string ns, string topic, int p, DateTimeOffset? time, IGrainFactory grains)
    {
        var at = time ?? throw EffluxException.Invalid("time is required (ISO-8601).");
        return TypedResults.Ok(new OffsetForTimeResponse(p, at, await Partition(grains, ns, topic, p).OffsetForTimeAsync(at)));
    }

    private static async Task SearchAsync(
        string ns,
        string topic,
        string? dataType,
        string? messageGroup,
        string? contentType,
        DateTimeOffset? from,
        DateTimeOffset? to,
        int? max,
        HttpContext http,
        IGrainFactory grains)
    {
        Http.Names((ns, "namespace"), (topic, "topic"));

        // property.{name}=value pairs: names are the application's own, so they are read from the query as given.
        var properties = http.Request.Query.Where(kv => kv.Key.StartsWith("property.", StringComparison.Ordinal)).ToDictionary(kv => kv.Key["property.".Length..], kv => kv.Value.ToString(), StringComparer.Ordinal);
        var request = new SearchRequest
        {
            DataType = dataType,
            MessageGroup = messageGroup,
            ContentType = contentType,
            Properties = properties.Count > 0 ? properties : null,
            From = from,
            To = to,
            Max = Http.Range(max, "max", 100, 1, 10_000),
        };
        var config = await grains.GetGrain<ITopicGrain>(GrainKeys.Topic(ns, topic)).GetConfigAsync();
        var found = await Task.WhenAll(Enumerable.Range(0, config.Partitions).Select(async p =>
            (await grains.GetGrain<IPartitionGrain>(GrainKeys.Partition(ns, topic, p)).SearchAsync(request)).Select(r => EffluxMessage.From(p, r))));
        http.Response.ContentType = "application/json";
        await using var w = new Utf8JsonWriter(http.Response.BodyWriter.AsStream());
        w.WriteStartObject();
        w.WriteStartArray("messages");
        foreach (var message in found.SelectMany(f => f).OrderBy(m => m.Timestamp).ThenBy(m => m.Partition).ThenBy(m => m.Offset))
        {
            MessageJson.Write(w, message);
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }
}
