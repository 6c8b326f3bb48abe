using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Efflux.Runtime.Testing;

namespace Efflux.Runtime.Tests;

public sealed class LoopbackPortTests
{
    [Fact]
    public void Ports_AreBelowTheEphemeralRange_NeverRepeated_AndBindable()
    {
        var ephemeralLow = int.Parse(
            File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)[0],
            CultureInfo.InvariantCulture);

        var ports = Enumerable.Range(0, 200).Select(_ => LoopbackPort.Free()).ToList();

        Assert.Equal(ports.Count, ports.Distinct().Count());
        Assert.All(ports, port => Assert.InRange(port, 10_000, ephemeralLow - 1));
        foreach (var port in ports.Take(20))
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
        }
    }
}
