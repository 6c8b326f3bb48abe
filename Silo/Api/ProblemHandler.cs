using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace Efflux.Silo.Api;

/// <summary>Every error as RFC 7807 problem details: Efflux errors by kind, malformed input as 400, oversize bodies as 413.</summary>
internal sealed class ProblemHandler(IProblemDetailsService problems, ILogger<ProblemHandler> log) : IExceptionHandler
{
    private const string Basic = "Basic realm=\"Efflux\", charset=\"UTF-8\"";

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var (status, title, detail) = Classify(exception);
        if (status >= 500)
        {
            log.LogError(exception, "Request {Method} {Path} failed", httpContext.Request.Method, httpContext.Request.Path);
        }

        httpContext.Response.StatusCode = status;
        if (status == StatusCodes.Status401Unauthorized)
        {
            // Programs are told Bearer. A browser asks for a key (as the password) only when told Basic, and answers the
            // same realm's challenges on /v1 (the pages' own calls) with the key it was given for the pages.
            httpContext.Response.Headers.WWWAuthenticate = Security.Access.IsDashboard(httpContext.Request.Path)
                ? Basic
                : new Microsoft.Extensions.Primitives.StringValues(["Bearer", Basic]);
        }
        else if (EffluxException.From(exception)?.RetryAfter is { } wait)
        {
            httpContext.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = new ProblemDetails { Status = status, Title = title, Detail = detail, Type = "https://efflux.dev/problems/" + title.Replace(' ', '-').ToLowerInvariant() },
        });
    }

    public static (int Status, string Title, string Detail) Classify(Exception exception)
    {
        if (EffluxException.From(exception) is { } efflux)
        {
            return efflux.Error switch
            {
                EffluxError.InvalidRequest => (400, "Invalid request", efflux.Message),
                EffluxError.TopicNotFound => (404, "Topic not found", efflux.Message),
                EffluxError.NotFound => (404, "Not found", efflux.Message),
                EffluxError.Conflict => (409, "Conflict", efflux.Message),
                EffluxError.OffsetMismatch => (412, "Offset mismatch", efflux.Message),
                EffluxError.TooLarge => (413, "Too large", efflux.Message),
                EffluxError.OffsetOutOfRange => (416, "Offset out of range", efflux.Message),
                EffluxError.Corrupt => (500, "Corrupt data", efflux.Message),
                EffluxError.LimitExceeded => (422, "Limit exceeded", efflux.Message),
                EffluxError.Unauthenticated => (401, "Unauthenticated", efflux.Message),
                EffluxError.Forbidden => (403, "Forbidden", efflux.Message),
                EffluxError.Throttled => (429, "Too many requests", efflux.Message),
                _ => (503, "Partition unavailable", efflux.Message),
            };
        }

        return exception switch
        {
            BadHttpRequestException { StatusCode: 413 } big => (413, "Too large", big.Message),
            BadHttpRequestException bad => (bad.StatusCode, "Bad request", bad.Message),
            JsonException json => (400, "Invalid request", "The body is not valid JSON: " + json.Message),
            FormatException format => (400, "Invalid request", format.Message),
            _ => (500, "Internal error", "The silo failed to handle the request; see its log."),
        };
    }
}
