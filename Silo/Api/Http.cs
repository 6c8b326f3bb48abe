using System.Globalization;
using Efflux.Grains;
using Efflux.Storage;

namespace Efflux.Silo.Api;

/// <summary>Argument parsing shared by the routes; every failure is a 400 that names the argument.</summary>
internal static class Http
{
    public static void Names(params (string Value, string Kind)[] names)
    {
        foreach (var (value, kind) in names)
        {
            if (!StorageNames.IsValid(value))
            {
                throw EffluxException.Invalid($"'{value}' is not a valid {kind} name: 1–128 characters of A-Z a-z 0-9 . _ -, and not . or ..");
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

    public static int Int(string? text, string name, int fallback, int min, int max)
    {
        var value = Long(text, name) ?? fallback;
        return value >= min && value <= max ? (int)value : throw EffluxException.Invalid($"{name} must be {min} to {max}.");
    }

    public static DateTimeOffset? Time(string? text, string name)
        => text is null ? null
            : DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time) ? time
            : throw EffluxException.Invalid($"{name} must be an ISO-8601 time, not '{text}'.");

    /// <summary>A duration: a number with a unit (<c>500ms</c>, <c>5s</c>, <c>10m</c>, <c>2h</c>, <c>7d</c>); a bare number is seconds.</summary>
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

        return text[digits..] switch
        {
            "ms" => TimeSpan.FromMilliseconds(amount),
            "" or "s" => TimeSpan.FromSeconds(amount),
            "m" => TimeSpan.FromMinutes(amount),
            "h" => TimeSpan.FromHours(amount),
            "d" => TimeSpan.FromDays(amount),
            _ => throw EffluxException.Invalid($"{name} must be a duration such as 500ms, 5s, 10m, 2h or 7d, not '{text}'."),
        };
    }
}
