using Efflux.Client;
using System.Text.Json;
using Efflux.Grains;
using Microsoft.Extensions.Options;

namespace Efflux.Silo.Api;

/// <summary>FetchBatch / Poll / LongPoll, Fetch, fetch by id, Server-Sent Events, offset for time and search.</summary>
internal static class ReadRoutes
{
    public static void Map(RouteGroupBuilder v1)
    {
        var reads = v1.MapGroup("/topics/{ns}/{topic}").WithTags("Read");
        reads.MapGet("/partitions/{p}/messages", BatchAsync).WithSummary("Records from an offset (FetchBatch, Poll; LongPoll with wait)");
        reads.MapGet("/partitions/{p}/messages/{offset:long}", FetchAsync).WithSummary("One record (Fetch); raw=true returns the payload with metadata headers, format=cloudevent a structured CloudEvent");
        reads.MapGet("/messages/by-id/{id}", ByIdAsync).WithSummary("The record with an id, from whichever partition holds it");
        reads.MapGet("/partitions/{p}/stream", StreamAsync).WithSummary("Server-Sent Events from an offset, following the tail (event id = offset; resumes after Last-Event-ID)");
        reads.MapGet("/partitions/{p}/offsets", OffsetForTimeAsync).WithSummary("The first offset at or after a time");
        reads.MapGet("/search", SearchAsync).WithSummary("Records by dataType, messageGroup, contentType, property.{name} and time range, from the index");
    }

    private static IPartitionGrain Partition(IGrainFactory grains, string ns, string topic, string p)
    {
        Http.Names((ns, "namespace"), (topic, "topic"));
        return grains.GetGrain<IPartitionGrain>(GrainKeys.Partition(ns, topic, Http.Partition(p)));
    }

    private static async Task BatchAsync(string ns, string topic, string p, HttpContext http, IGrainFactory grains, IOptions<EffluxOptions> options)
    {
        var q = http.Request.Query;
        var partition = Partition(grains, ns, topic, p);
        var from = Http.Offset(q["from"].FirstOrDefault(), "from") ?? -1;
        var max = Http.Int(q["max"].FirstOrDefault(), "max", 100, 1, 10_000);
        var maxBytes = Http.Int(q["maxBytes"].FirstOrDefault(), "maxBytes", 4 << 20, 1, 16 << 20);
        var wait = Http.Duration(q["wait"].FirstOrDefault(), "wait") ?? TimeSpan.Zero;
        if (wait > options.Value.MaxWait)
        {
            throw EffluxException.Invalid($"wait may be at most {Json.Duration(options.Value.MaxWait)}.");
        }

        var batch = await partition.FetchBatchAsync(from, max, maxBytes, wait, http.RequestAborted);
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

    private static async Task<IResult> FetchAsync(string ns, string topic, string p, long offset, HttpContext http, IGrainFactory grains)
    {
        var partition = Http.Partition(p);
        var record = await Partition(grains, ns, topic, p).FetchAsync(offset)
            ?? throw new EffluxException(EffluxError.NotFound, $"Partition {partition} of {ns}/{topic} holds no offset {offset}.");
        return await WriteOneAsync(http, EffluxMessage.From(partition, record));
    }

    private static async Task<IResult> ByIdAsync(string ns, string topic, string id, HttpContext http, IGrainFactory grains)
    {
        Http.Names((ns, "namespace"), (topic, "topic"));
        var config = await grains.GetGrain<ITopicGrain>(GrainKeys.Topic(ns, topic)).GetConfigAsync();
        var found = await Task.WhenAll(Enumerable.Range(0, config.Partitions).Select(async p =>
            (Partition: p, Record: await grains.GetGrain<IPartitionGrain>(GrainKeys.Partition(ns, topic, p)).FetchByIdAsync(id))));
        var hit = found.FirstOrDefault(f => f.Record is not null);
        return hit.Record is null
            ? throw new EffluxException(EffluxError.NotFound, $"No message of {ns}/{topic} has id '{id}'.")
            : await WriteOneAsync(http, EffluxMessage.From(hit.Partition, hit.Record));
    }

    private static async Task<IResult> WriteOneAsync(HttpContext http, EffluxMessage message)
    {
        var q = http.Request.Query;
        var response = http.Response;
        if (q["raw"] == "true")
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

        var cloudEvent = q["format"] == "cloudevent";
        response.ContentType = cloudEvent ? CloudEvents.Structured : "application/json";
        await using (var w = new Utf8JsonWriter(response.BodyWriter.AsStream()))
        {
            if (cloudEvent)
            {
                Json.WriteCloudEvent(w, message);
            }
            else
            {
                MessageJson.Write(w, message);
            }
        }

        return Results.Empty;
    }

    private static async Task StreamAsync(string ns, string topic, string p, HttpContext http, IGrainFactory grains, IOptions<EffluxOptions> options)
    {
        var partition = Partition(grains, ns, topic, p);
        var from = Http.Offset(http.Request.Headers["Last-Event-ID"].FirstOrDefault(), "Last-Event-ID") is { } last
            ? last < long.MaxValue ? last + 1 : throw EffluxException.Invalid($"Last-Event-ID {last} is past every offset a partition can hold.")
            : Http.Offset(http.Request.Query["from"].FirstOrDefault(), "from") ?? -1;

        // Fail before the stream starts (a bad offset or a missing topic is a problem document, not an empty stream).
        var batch = await partition.FetchBatchAsync(from, 500, 1 << 20, TimeSpan.Zero, http.RequestAborted);
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

    private static async Task<IResult> OffsetForTimeAsync(string ns, string topic, string p, string? time, IGrainFactory grains)
    {
        var at = Http.Time(time, "time") ?? throw EffluxException.Invalid("time is required (ISO-8601).");
        return Results.Ok(new { partition = Http.Partition(p), time = at, offset = await Partition(grains, ns, topic, p).OffsetForTimeAsync(at) });
    }

    private static async Task SearchAsync(string ns, string topic, HttpContext http, IGrainFactory grains)
    {
        Http.Names((ns, "namespace"), (topic, "topic"));
        var q = http.Request.Query;
        var properties = q.Where(kv => kv.Key.StartsWith("property.", StringComparison.Ordinal)).ToDictionary(kv => kv.Key["property.".Length..], kv => kv.Value.ToString(), StringComparer.Ordinal);
        var request = new SearchRequest
        {
            DataType = q["dataType"].FirstOrDefault(),
            MessageGroup = q["messageGroup"].FirstOrDefault(),
            ContentType = q["contentType"].FirstOrDefault(),
            Properties = properties.Count > 0 ? properties : null,
            From = Http.Time(q["from"].FirstOrDefault(), "from"),
            To = Http.Time(q["to"].FirstOrDefault(), "to"),
            Max = Http.Int(q["max"].FirstOrDefault(), "max", 100, 1, 10_000),
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
