using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Efflux.Bench;

/// <summary>
/// The Redis Streams peer of the end-to-end measurement: XADD on one connection, paced like the Efflux appends, and a
/// consumer blocked in XREAD on another; latency is XADD sent → entry read. Speaks RESP directly (the pinned
/// StackExchange.Redis predates streams).
/// </summary>
internal static class RedisStreamsLatency
{
    public static async Task<Measurement> RunAsync(string scenario, int port, int payloadBytes, int rate, TimeSpan duration)
    {
        var total = (int)(rate * duration.TotalSeconds);
        var sent = new long[total];
        var latencies = new List<double>(total);
        using var producer = await ConnectAsync(port);
        using var consumer = await ConnectAsync(port);
        var producerStream = producer.GetStream();
        var filler = new string('x', payloadBytes - 8);

        // The producer's replies are read (and checked) beside the sends, so XADDs are pipelined, as Efflux appends are.
        var acknowledged = ServiceBench.StartBlocking(() =>
        {
            using var buffered = new BufferedStream(producerStream, 64 * 1024);
            var replies = new RespReader(buffered);
            for (var i = 0; i < total; i++)
            {
                replies.Read();
            }
        });
        var received = ServiceBench.StartBlocking(() =>
        {
            using var buffered = new BufferedStream(consumer.GetStream(), 64 * 1024);
            Consume(new RespReader(buffered), consumer.GetStream(), total, sent, latencies);
        });
        var clock = Stopwatch.StartNew();
        await Pacer.RunAsync(rate, total, i =>
        {
            var command = Command("XADD", "e2e", "*", "i", i.ToString("D8", CultureInfo.InvariantCulture), "d", filler);
            Volatile.Write(ref sent[i], Stopwatch.GetTimestamp());
            producerStream.Write(command);
        });
        await acknowledged.WaitAsync(TimeSpan.FromSeconds(30));
        await received.WaitAsync(TimeSpan.FromSeconds(30));
        return Measurement.Of(scenario, latencies.Count, 0, clock.Elapsed, latencies);
    }

    private static void Consume(RespReader reader, NetworkStream stream, int total, long[] sent, List<double> latencies)
    {
        var last = "0";
        while (latencies.Count < total)
        {
            stream.Write(Command("XREAD", "BLOCK", "0", "STREAMS", "e2e", last));

            // [[key, [[id, [field, value, ...]], ...]]]
            var streams = (object[])reader.Read()!;
            foreach (var entry in (object[])((object[])streams[0])[1])
            {
                var fields = (object[])((object[])entry)[1];
                var index = int.Parse((string)fields[1], CultureInfo.InvariantCulture);
                latencies.Add(Stopwatch.GetElapsedTime(Volatile.Read(ref sent[index])).TotalMicroseconds);
                last = (string)((object[])entry)[0];
            }
        }
    }

    private static async Task<TcpClient> ConnectAsync(int port)
    {
        var client = new TcpClient { NoDelay = true };
        await client.ConnectAsync(IPAddress.Loopback, port);
        return client;
    }

    private static byte[] Command(params string[] parts)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"*{parts.Length}\r\n");
        foreach (var part in parts)
        {
            text.Append(CultureInfo.InvariantCulture, $"${Encoding.UTF8.GetByteCount(part)}\r\n{part}\r\n");
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }

    /// <summary>Reads RESP2 replies: arrays as object[], bulk and simple strings as string, integers as long; errors throw.</summary>
    private sealed class RespReader(BufferedStream input)
    {
        private readonly BufferedStream _input = input;

        public object? Read()
        {
            var kind = _input.ReadByte();
            var line = ReadLine();
            switch (kind)
            {
                case '+':
                    return line;
                case ':':
                    return long.Parse(line, CultureInfo.InvariantCulture);
                case '-':
                    throw new InvalidOperationException("redis: " + line);
                case '$':
                    var length = int.Parse(line, CultureInfo.InvariantCulture);
                    if (length < 0)
                    {
                        return null;
                    }

                    var bytes = new byte[length + 2];
                    _input.ReadExactly(bytes);
                    return Encoding.UTF8.GetString(bytes, 0, length);
                case '*':
                    var count = int.Parse(line, CultureInfo.InvariantCulture);
                    if (count < 0)
                    {
                        return null;
                    }

                    var items = new object?[count];
                    for (var i = 0; i < count; i++)
                    {
                        items[i] = Read();
                    }

                    return items;
                default:
                    throw new InvalidOperationException($"redis: unexpected reply type {kind}");
            }
        }

        private string ReadLine()
        {
            var line = new StringBuilder();
            int c;
            while ((c = _input.ReadByte()) != '\r')
            {
                if (c < 0)
                {
                    throw new EndOfStreamException("redis closed the connection");
                }

                line.Append((char)c);
            }

            _input.ReadByte();
            return line.ToString();
        }
    }
}
