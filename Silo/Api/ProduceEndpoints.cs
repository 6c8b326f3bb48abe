using System.Text.Json;
using Efflux.Grains;
using Efflux.Silo.Api.Responses;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Efflux.Silo.Security;

namespace Efflux.Silo.Api;

/// <summary>
/// <c>POST /v1/topics/{ns}/{topic}/messages</c>: a JSON batch, one raw message with metadata headers, or CloudEvents
/// (binary, structured, batch).
/// </summary>
internal static class ProduceEndpoints
{
    private const string HeaderPrefix = "Efflux-Property-";

    public static void MapProduceEndpoints(this RouteGroupBuilder v1)
        => v1.MapPost("/topics/{ns}/{topic}/messages", ProduceAsync).Need(Permissions.Write, Quota.Produce).WithTags("Produce")
            .WithSummary("Append messages: a JSON batch, a raw body with Efflux-* headers, or CloudEvents (binary, structured, batch)")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);

    private static async Task<Created<ProduceResponse>> ProduceAsync(
        string ns,
        string topic,
        string? acks,
        int? partition,
        [FromHeader(Name = "Efflux-Expected-Offset")] long? expectedOffset,
        HttpRequest request,
        TopicRouter router)
    {
        Http.Names((ns, "namespace"), (topic, "topic"));
        var options = new ProduceOptions
        {
            Acks = acks switch
            {
                null or "durable" => Acks.Durable,
                "leader" => Acks.Leader,
                "none" => Acks.None,
                var other => throw EffluxException.Invalid($"acks must be durable, leader or none, not '{other}'."),
            },
            ExpectedOffset = expectedOffset,
        };
        var messages = await ReadMessagesAsync(request);
        if (messages.Count == 0)
        {
            throw EffluxException.Invalid("The request holds no messages.");
        }

        var results = await router.AppendAsync(ns, topic, messages, options, partition is { } p ? Http.Partition(p) : null);
        return TypedResults.Created((string?)null, new ProduceResponse(results));
    }

    private static async Task<List<ProduceMessage>> ReadMessagesAsync(HttpRequest request)
    {
        var contentType = request.ContentType;
        var mediaType = contentType?.Split(';')[0].Trim().ToLowerInvariant();
        if (mediaType is CloudEvents.Structured or CloudEvents.Batch)
        {
            return CloudEvents.FromStructured(await ReadBodyAsync(request), batch: mediaType == CloudEvents.Batch);
        }

        if (mediaType == "application/json" && !request.Headers.ContainsKey("ce-specversion"))
        {
            using var body = await Http.JsonBodyAsync(request);
            const string Shape = "A JSON produce body is {\"messages\":[{...}]}; to append one raw JSON payload, send it with another content type or CloudEvents headers.";
            if (body.RootElement.ValueKind != JsonValueKind.Object || !body.RootElement.TryGetProperty("messages", out var list) || list.ValueKind != JsonValueKind.Array)
            {
                throw EffluxException.Invalid(Shape);
            }

            foreach (var field in body.RootElement.EnumerateObject())
            {
                if (field.Name != "messages")
                {
                    throw Http.UnknownField(field.Name, "a produce body", "messages");
                }
            }

            return [.. list.EnumerateArray().Select(ProduceMessageJson.Parse)];
        }

        var payload = await ReadBodyAsync(request);
        if (request.Headers.ContainsKey("ce-specversion"))
        {
            return [CloudEvents.FromBinary(request.Headers, contentType, payload)];
        }

        var properties = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, values) in request.Headers)
        {
            if (name.StartsWith(HeaderPrefix, StringComparison.OrdinalIgnoreCase) && name.Length > HeaderPrefix.Length)
            {
                properties[name[HeaderPrefix.Length..]] = values.ToString();
            }
        }

        return
        [
            new ProduceMessage
            {
                Payload = payload,
                Id = request.Headers["Efflux-Id"].FirstOrDefault(),
                Timestamp = Http.Time(request.Headers["Efflux-Timestamp"].FirstOrDefault(), "Efflux-Timestamp"),
                DataType = request.Headers["Efflux-Data-Type"].FirstOrDefault(),
                MessageGroup = request.Headers["Efflux-Message-Group"].FirstOrDefault(),
                ContentType = contentType,
                ContentEncoding = request.Headers.ContentEncoding.FirstOrDefault(),
                Properties = properties.Count > 0 ? properties : null,
            },
        ];
    }

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, request.HttpContext.RequestAborted);
        return buffer.ToArray();
    }
}
