using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Efflux.Testing;

/// <summary>Free TCP ports on the loopback interface, for silos and servers that tests and benchmarks start.</summary>
/// <remarks>
/// Ports come from below the system's ephemeral range. A port the system hands out for a listener of the moment is an
/// ephemeral one, and any outgoing connection (to Redis, to another silo) can take it as its local port before the
/// server that was meant to have it binds; tests running side by side then fail with "address already in use".
/// Below the ephemeral range only listeners take ports. Each port is probed by binding it and is handed out once per process.
/// </remarks>
public static class LoopbackPort
{
    private const int Lowest = 10_000;
    private static readonly HashSet<int> HandedOut = [];
    private static readonly Lock Gate = new();

    /// <summary>A loopback port that was free a moment ago and that this process has not handed out before.</summary>
    public static int Free()
    {
        var highest = EphemeralLow() - 1;
        if (highest - Lowest < 1_000)
        {
            return SystemChosen();
        }

        var span = highest - Lowest + 1;
        var start = Random.Shared.Next(span);
        lock (Gate)
        {
            for (var i = 0; i < span; i++)
            {
                var port = Lowest + ((start + i) % span);
                if (!HandedOut.Contains(port) && CanBind(port))
                {
                    HandedOut.Add(port);
                    return port;
                }
            }
        }

        return SystemChosen();
    }

    private static bool CanBind(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static int SystemChosen()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static int EphemeralLow()
    {
        const string range = "/proc/sys/net/ipv4/ip_local_port_range";
        try
        {
            var first = File.ReadAllText(range).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)[0];
            return int.Parse(first, CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return 32_768;
        }
    }
}
