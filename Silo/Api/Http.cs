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

    public static int Partition(string text)
        => int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p < EffluxOptions.MaxPartitions
            ? p
            : throw new EffluxException(EffluxError.NotFound, $"'{text}' is not a partition number.");

    public static long? Long(string? text, string name)
        => text is null ? null
            : long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) ? value
            : throw EffluxException.Invalid($"{name} must be an integer, not '{text}'.");

    /// <summary>An offset: an integer of 0 or more (a negative one is refused, not read as "the oldest").</summary>
    public static long? Offset(string? text, string name)
    {
        var offset = Long(text, name);
        return offset < 0
            ? throw EffluxException.Invalid($"{name} must be an offset (0 or more), not {offset}; leave it out to start at the oldest stored record.")
            : offset;
    }

    public static int Int(string? text, string name, int fallback, int min, int max)
    {
        var value = Long(text, name) ?? fallback;
        return value >= min && value <= max ? (int)value : throw EffluxException.Invalid($"{name} must be {min} to {max}.");
    }

    public static DateTimeOffset? Time(string? text, string name)
        => text is null ? null
            : DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time) ? time
            : throw EffluxException.Invalid($"{name} must be an ISO-8601 time, not '{text}'.");

    /// <summary>The longest duration any setting or argument takes.</summary>
    private static readonly TimeSpan LongestDuration = TimeSpan.FromDays(36_500);

    /// <summary>
    /// A duration: a number with a unit (<c>500ms</c>, <c>5s</c>, <c>10m</c>, <c>2h</c>, <c>7d</c>); a bare number is
    /// seconds. At most 100 years.
    /// </summary>
    public static TimeSpan? Duration(string? text, string name)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        var digits = text.TakeWhile(c => char.IsAsciiDigit(c) || c == '.').Count();
        if (digits == 0 || !double.TryParse(text.AsSpan(0, digits), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount))
        {
            throw EffluxException.Invalid($"{name} must be a duration such as 500ms, 5s, 10m, 2h or 7d, not '{text}'.");
        }

        var unit = text[digits..] switch
        {
            "ms" => TimeSpan.FromMilliseconds(1),
            "" or "s" => TimeSpan.FromSeconds(1),
            "m" => TimeSpan.FromMinutes(1),
            "h" => TimeSpan.FromHours(1),
            "d" => TimeSpan.FromDays(1),
            _ => throw EffluxException.Invalid($"{name} must be a duration such as 500ms, 5s, 10m, 2h or 7d, not '{text}'."),
        };
        return amount <= LongestDuration / unit
            ? unit * amount
            : throw EffluxException.Invalid($"{name} must be at most {LongestDuration.TotalDays:F0} days, not '{text}'.");
    }
}
