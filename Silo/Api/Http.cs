using System.Globalization;
using System.Text.Json;
using Efflux.Grains;
using Efflux.Storage;

namespace Efflux.Silo.Api;

/// <summary>Argument parsing shared by the routes; every failure is a 400 that names the argument.</summary>
internal static class Http
{
    /// <summary>The request body as a JSON document: a 400 when it is not UTF-8 or not JSON.</summary>
    public static async Task<JsonDocument> JsonBodyAsync(HttpRequest request)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, request.HttpContext.RequestAborted);
        var bytes = buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
        if (!System.Text.Unicode.Utf8.IsValid(bytes.Span))
        {
            throw EffluxException.Invalid("The body is not valid UTF-8.");
        }

        return JsonDocument.Parse(bytes);
    }

    /// <summary>A JSON string (or null), else a 400 naming <paramref name="name"/>.</summary>
    public static string? JsonString(JsonElement value, string name)
        => value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Null => null,
            _ => throw EffluxException.Invalid($"{name} must be a string, not {value.ValueKind.ToString().ToLowerInvariant()}."),
        };

    /// <summary>A JSON integer, else a 400 naming <paramref name="name"/>.</summary>
    public static long JsonInteger(JsonElement value, string name)
        => value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number)
            ? number
            : throw EffluxException.Invalid($"{name} must be an integer.");

    /// <summary>The routes of one resource under <paramref name="prefix"/>: tagged, and documented to answer bad arguments (400) and missing resources (404) as problems.</summary>
    public static RouteGroupBuilder MapResource(this RouteGroupBuilder v1, string prefix, string tag)
        => v1.MapGroup(prefix).WithTags(tag).ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);

    /// <summary>A 400 for a JSON object's member that the request does not take.</summary>
    public static EffluxException UnknownField(string field, string where, string known)
        => EffluxException.Invalid($"Unknown field '{field}' in {where}: it takes {known}.");

    public static void Names(params (string Value, string Kind)[] names)
    {
        foreach (var (value, kind) in names)
        {
            if (!StorageNames.IsValid(value))
            {
                throw EffluxException.Invalid($"'{value}' is not a valid {kind} name: {StorageNames.Rule}.");
            }
        }
    }

    /// <summary>A partition number in range; a number no topic can have is a 404, as a partition the topic lacks is.</summary>
    public static int Partition(int p)
        => p is >= 0 and < EffluxOptions.MaxPartitions
            ? p
            : throw new EffluxException(EffluxError.NotFound, $"{p} is not a partition number (0 to {EffluxOptions.MaxPartitions - 1}).");

    /// <summary>An offset: 0 or more (a negative one is refused, not read as "the oldest").</summary>
    public static long? Offset(long? offset, string name)
        => offset < 0
            ? throw EffluxException.Invalid($"{name} must be an offset (0 or more), not {offset}; leave it out to start at the oldest stored record.")
            : offset;

    /// <summary>An integer argument within [<paramref name="min"/>, <paramref name="max"/>], <paramref name="fallback"/> when absent.</summary>
    public static int Range(int? value, string name, int fallback, int min, int max)
        => (value ?? fallback) is var v && v >= min && v <= max ? v : throw EffluxException.Invalid($"{name} must be {min} to {max}.");

    /// <summary>A wait of a long poll: a duration of at most <paramref name="most"/>.</summary>
    public static TimeSpan Wait(string? text, TimeSpan most)
    {
        var wait = Durations.Parse(text, "wait") ?? TimeSpan.Zero;
        return wait <= most ? wait : throw EffluxException.Invalid($"wait may be at most {Durations.Format(most)}.");
    }

    public static DateTimeOffset? Time(string? text, string name)
        => text is null ? null
            : DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time) ? time
            : throw EffluxException.Invalid($"{name} must be an ISO-8601 time, not '{text}'.");
}
