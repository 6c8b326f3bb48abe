using System.Globalization;

namespace Efflux.Silo.Api;

/// <summary>Durations as the API reads and writes them: <c>500ms</c>, <c>5s</c>, <c>10m</c>, <c>2h</c>, <c>7d</c>.</summary>
internal static class Durations
{
    /// <summary>The longest duration any setting or argument takes.</summary>
    private static readonly TimeSpan LongestDuration = TimeSpan.FromDays(36_500);

    /// <summary>
    /// A duration: a number with a unit (<c>500ms</c>, <c>5s</c>, <c>10m</c>, <c>2h</c>, <c>7d</c>); a bare number is
    /// seconds. At most 100 years.
    /// </summary>
    public static TimeSpan? Parse(string? text, string name)
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

    /// <summary>A duration in the shortest of the units <see cref="Parse"/> reads.</summary>
    public static string Format(TimeSpan span)
        => span.TotalDays == Math.Floor(span.TotalDays) ? span.TotalDays.ToString(CultureInfo.InvariantCulture) + "d"
            : span.TotalHours == Math.Floor(span.TotalHours) ? span.TotalHours.ToString(CultureInfo.InvariantCulture) + "h"
            : span.TotalSeconds.ToString(CultureInfo.InvariantCulture) + "s";
}
