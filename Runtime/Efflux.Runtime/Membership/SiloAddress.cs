using System.Globalization;

namespace Efflux.Runtime.Membership;

/// <summary>A silo: its endpoint and its generation (the start time of that process, so a restarted silo is a new silo).</summary>
/// <param name="Host">Host name or IP of the silo port.</param>
/// <param name="Port">The silo port (silo-to-silo and gateway).</param>
/// <param name="Generation">Unique per start of a silo at this endpoint.</param>
public sealed record SiloAddress(string Host, int Port, long Generation)
{
    /// <summary>"host:port@generation".</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Host}:{Port}@{Generation}");

    /// <summary>Reads "host:port@generation".</summary>
    /// <exception cref="FormatException">Not a silo address.</exception>
    public static SiloAddress Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var at = text.LastIndexOf('@');
        var colon = at < 0 ? -1 : text.LastIndexOf(':', at);
        if (colon <= 0
            || !int.TryParse(text.AsSpan(colon + 1, at - colon - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port)
            || !long.TryParse(text.AsSpan(at + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var generation))
        {
            throw new FormatException($"'{text}' is not a silo address (host:port@generation).");
        }

        return new SiloAddress(text[..colon], port, generation);
    }

    /// <summary>"host:port".</summary>
    public string Endpoint => string.Create(CultureInfo.InvariantCulture, $"{Host}:{Port}");
}
