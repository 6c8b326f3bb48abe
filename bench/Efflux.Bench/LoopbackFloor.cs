using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Efflux.Bench;

/// <summary>
/// The floor under every end-to-end latency on this machine: one byte sent over loopback TCP to an echo thread and back,
/// paced like the end-to-end appends (pipelined on one connection). No storage, no serialisation, no grain: what is
/// left is socket wake-ups and the scheduler's tail.
/// </summary>
internal static class LoopbackFloor
{
    public static async Task<Measurement> RunAsync(int rate, TimeSpan duration)
    {
        var total = (int)(rate * duration.TotalSeconds);
        var sent = new long[total];
        var latencies = new List<double>(total);
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        using var client = new TcpClient { NoDelay = true };
        await client.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port);
        using var server = await listener.AcceptTcpClientAsync();
        server.NoDelay = true;

        // Echo and receive on threads of their own, as blocking readers must.
        var echo = ServiceBench.StartBlocking(() =>
        {
            var stream = server.GetStream();
            var buffer = new byte[4096];
            int n;
            while ((n = stream.Read(buffer)) > 0)
            {
                stream.Write(buffer, 0, n);
            }
        });
        var received = ServiceBench.StartBlocking(() =>
        {
            var stream = client.GetStream();
            var buffer = new byte[4096];
            while (latencies.Count < total)
            {
                var n = stream.Read(buffer);
                var now = Stopwatch.GetTimestamp();
                for (var i = 0; i < n; i++)
                {
                    latencies.Add(Stopwatch.GetElapsedTime(Volatile.Read(ref sent[latencies.Count]), now).TotalMicroseconds);
                }
            }
        });
        var clock = Stopwatch.StartNew();
        var stream = client.GetStream();
        await Pacer.RunAsync(rate, total, i =>
        {
            Volatile.Write(ref sent[i], Stopwatch.GetTimestamp());
            stream.WriteByte(1);
        });
        await received.WaitAsync(TimeSpan.FromSeconds(30));
        client.Client.Shutdown(SocketShutdown.Send);
        await echo.WaitAsync(TimeSpan.FromSeconds(30));
        return Measurement.Of("floor: loopback TCP echo of 1 byte, 10,000/s (no service)", latencies.Count, 0, clock.Elapsed, latencies);
    }
}
