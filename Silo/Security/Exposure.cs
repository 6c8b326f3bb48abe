using System.Net;
using Efflux.Grains.Security;

namespace Efflux.Silo.Security;

/// <summary>
/// The rule that keeps the zero-configuration silo safe: without authentication it serves loopback only, unless
/// <c>Efflux:Auth:AllowAnonymous=true</c> says that anyone who reaches it may do anything.
/// </summary>
internal static class Exposure
{
    /// <summary>The HTTP addresses the silo would listen on that are not loopback, when authentication is off and anonymous access is not allowed.</summary>
    public static IReadOnlyList<string> Refused(IConfiguration configuration, AuthOptions auth)
    {
        if (auth.Enabled || auth.AllowAnonymous)
        {
            return [];
        }

        var urls = (configuration["urls"] ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Concat(configuration.GetSection("Kestrel:Endpoints").GetChildren().Select(e => e["Url"]).OfType<string>())
            .Concat(new[] { configuration["http_ports"], configuration["https_ports"] }.Where(p => !string.IsNullOrWhiteSpace(p)).Select(p => "http://*:" + p));
        return [.. urls.Where(u => !IsLoopback(u))];
    }

    private static bool IsLoopback(string url)
    {
        var host = url.Contains("://", StringComparison.Ordinal) ? url[(url.IndexOf("://", StringComparison.Ordinal) + 3)..] : url;
        host = host.Split('/')[0];
        host = host.StartsWith('[') ? host[1..host.IndexOf(']', StringComparison.Ordinal)] : host.Split(':')[0];
        return host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address));
    }
}
