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

    /// <summary>"host:port".</summary>
    public string Endpoint => string.Create(CultureInfo.InvariantCulture, $"{Host}:{Port}");
}
