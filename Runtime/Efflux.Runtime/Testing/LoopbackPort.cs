using System.Net;
using System.Net.Sockets;

namespace Efflux.Runtime.Testing;

/// <summary>Free TCP ports on the loopback interface, for silos and servers that tests and benchmarks start.</summary>
public static class LoopbackPort
{
    /// <summary>A port the system just handed out and released (another process could take it first; rarely matters).</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
