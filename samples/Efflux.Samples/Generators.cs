using System.Globalization;

namespace Efflux.Samples;

/// <summary>
/// Deterministic event generators for the seven Fluxus scenarios. Each yields JSON lines with a millisecond
/// <c>_timestamp</c> that never goes backwards, starting at 2026-01-01T00:00:00Z.
/// </summary>
public static class Generators
{
    /// <summary>Epoch milliseconds of the first event.</summary>
    public const long Start = 1_767_225_600_000;

    /// <summary>Every scenario by name.</summary>
    public static IReadOnlyDictionary<string, Func<int, int, IEnumerable<string>>> All { get; } = new Dictionary<string, Func<int, int, IEnumerable<string>>>
    {
        ["word-count"] = WordCount,
        ["temperature-sensors"] = Temperatures,
        ["click-stream"] = Clicks,
        ["network-log"] = NetworkLog,
        ["iot-devices"] = Iot,
        ["log-anomaly"] = Logs,
        ["stock-market"] = Stocks,
    };

    private static readonly string[] Words = ["stream", "event", "window", "grain", "silo", "log", "chain", "query", "topic", "offset"];

    /// <summary>Words from a small vocabulary, a few per second.</summary>
    public static IEnumerable<string> WordCount(int count, int seed)
    {
        var random = new Random(seed);
        var t = Start;
        for (var i = 0; i < count; i++)
        {
            t += random.Next(0, 400);
            yield return $"{{\"_timestamp\":{t},\"word\":\"{Words[(int)Math.Min(Words.Length - 1, -Math.Log(1 - random.NextDouble()) * 3)]}\"}}";
        }
    }

    /// <summary>Eight sensors drifting around 21 °C, one reading every ~second each.</summary>
    public static IEnumerable<string> Temperatures(int count, int seed)
    {
        var random = new Random(seed);
        var t = Start;
        var temperature = Enumerable.Range(0, 8).Select(_ => 21.0).ToArray();
        for (var i = 0; i < count; i++)
        {
            t += random.Next(50, 200);
            var s = random.Next(temperature.Length);
            temperature[s] += (random.NextDouble() - 0.5) * 0.8;
            yield return $"{{\"_timestamp\":{t},\"sensor\":\"sensor-{s}\",\"temperature\":{Num(Math.Round(temperature[s], 2))}}}";
        }
    }

    /// <summary>Users clicking in bursts separated by pauses of about a minute.</summary>
    public static IEnumerable<string> Clicks(int count, int seed)
    {
        var random = new Random(seed);
        var t = Start;
        string[] pages = ["/", "/search", "/product", "/cart", "/checkout"];
        for (var i = 0; i < count; i++)
        {
            t += random.Next(10) == 0 ? random.Next(20_000, 90_000) : random.Next(100, 3_000);
            yield return $"{{\"_timestamp\":{t},\"user\":\"user-{random.Next(12)}\",\"page\":\"{pages[random.Next(pages.Length)]}\"}}";
        }
    }

    /// <summary>HTTP requests to five hosts, with some server errors.</summary>
    public static IEnumerable<string> NetworkLog(int count, int seed)
    {
        var random = new Random(seed);
        var t = Start;
        for (var i = 0; i < count; i++)
        {
            t += random.Next(0, 60);
            var status = random.Next(100) switch { < 85 => 200, < 95 => 404, _ => 503 };
            yield return $"{{\"_timestamp\":{t},\"host\":\"host-{random.Next(5)}\",\"status\":{status},\"bytes\":{random.Next(200, 20_000)},\"latency_ms\":{random.Next(1, 400)}}}";
        }
    }

    /// <summary>Devices reporting temperature and humidity.</summary>
    public static IEnumerable<string> Iot(int count, int seed)
    {
        var random = new Random(seed);
        var t = Start;
        for (var i = 0; i < count; i++)
        {
            t += random.Next(0, 150);
            var type = random.Next(2) == 0 ? "temperature" : "humidity";
            var value = type == "temperature" ? 15 + (random.NextDouble() * 15) : 30 + (random.NextDouble() * 50);
            yield return $"{{\"_timestamp\":{t},\"device\":\"device-{random.Next(20)}\",\"type\":\"{type}\",\"value\":{Num(Math.Round(value, 1))}}}";
        }
    }

    /// <summary>Service logs; now and then a service goes through a burst of errors.</summary>
    public static IEnumerable<string> Logs(int count, int seed)
    {
        var random = new Random(seed);
        var t = Start;
        string[] services = ["api", "auth", "billing", "search"];
        var burst = -1;
        for (var i = 0; i < count; i++)
        {
            t += random.Next(0, 200);
            if (random.Next(400) == 0)
            {
                burst = burst < 0 ? random.Next(services.Length) : -1;
            }

            var service = random.Next(services.Length);
            var level = service == burst && random.Next(2) == 0 ? "ERROR" : random.Next(50) == 0 ? "ERROR" : random.Next(10) == 0 ? "WARN" : "INFO";
            yield return $"{{\"_timestamp\":{t},\"_data_type\":\"{level}\",\"service\":\"{services[service]}\",\"level\":\"{level}\"}}";
        }
    }

    /// <summary>Ticks of four symbols on a random walk with occasional runs.</summary>
    public static IEnumerable<string> Stocks(int count, int seed)
    {
        var random = new Random(seed);
        var t = Start;
        string[] symbols = ["ACME", "GLOBX", "INITECH", "UMBR"];
        var prices = symbols.Select(_ => 100.0).ToArray();
        for (var i = 0; i < count; i++)
        {
            t += random.Next(0, 500);
            var s = random.Next(symbols.Length);
            prices[s] *= 1 + ((random.NextDouble() - 0.48) * 0.03);
            yield return $"{{\"_timestamp\":{t},\"symbol\":\"{symbols[s]}\",\"price\":{Num(Math.Round(prices[s], 2))},\"volume\":{random.Next(1, 500)}}}";
        }
    }

    private static string Num(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
