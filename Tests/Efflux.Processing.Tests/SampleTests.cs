using System.Text.Json;
using Efflux.Samples;

namespace Efflux.Processing.Tests;

/// <summary>
/// The seven Fluxus scenarios under samples/: each query runs over its generator's events and its rows are checked
/// against a direct computation from the same events.
/// </summary>
public sealed class SampleTests
{
    private const int Events = 4000;

    [Fact]
    public void WordCount_TumblingCountsPerWord()
    {
        var (events, rows) = Run("word-count");
        var expected = Windows(events, 10_000, 10_000, e => Str(e, "word"))
            .Select(w => Row(("word", w.Key), ("count", w.Events.Count), ("window_start", w.Start)));
        AssertRows(expected, rows);
        Assert.Equal(events.Count, rows.Sum(r => r.GetProperty("count").GetInt64()));
    }

    [Fact]
    public void TemperatureSensors_SlidingAverageAndPeak()
    {
        var (events, rows) = Run("temperature-sensors");
        var expected = Windows(events, 60_000, 10_000, e => Str(e, "sensor"))
            .Select(w => Row(("sensor", w.Key), ("avg_temp", Math.Round(w.Events.Average(e => Num(e, "temperature")), 3, MidpointRounding.AwayFromZero)), ("max_temp", w.Events.Max(e => Num(e, "temperature"))), ("window_end", w.End)));
        AssertRows(expected, rows, tolerance: 0.0011);
    }

    [Fact]
    public void ClickStream_SessionsPerUser()
    {
        var (events, rows) = Run("click-stream");
        var expected = new List<(long End, long Start, int First, JsonElement Row)>();
        foreach (var user in events.GroupBy(e => Str(e, "user")))
        {
            var first = events.FindIndex(e => Str(e, "user") == user.Key);
            var session = new List<long>();
            foreach (var t in user.Select(e => Time(e)).Append(long.MaxValue))
            {
                if (session.Count > 0 && (t == long.MaxValue || t - session[^1] >= 30_000))
                {
                    expected.Add((session[^1] + 30_000, session[0], first, Row(("user", user.Key), ("clicks", session.Count), ("window_start", session[0]), ("window_end", session[^1] + 30_000))));
                    session.Clear();
                }

                session.Add(t);
            }
        }

        AssertRows(expected.OrderBy(x => x.End).ThenBy(x => x.Start).ThenBy(x => x.First).Select(x => x.Row), rows);
        Assert.Equal(events.Count, rows.Sum(r => r.GetProperty("clicks").GetInt64()));
    }

    [Fact]
    public void NetworkLog_SlidingTrafficAndErrorsPerHost()
    {
        var (events, rows) = Run("network-log");
        var expected = Windows(events, 60_000, 30_000, e => Str(e, "host"))
            .Select(w => Row(
                ("host", w.Key),
                ("requests", w.Events.Count),
                ("bytes", w.Events.Sum(e => (long)Num(e, "bytes"))),
                ("avg_latency", Math.Round(w.Events.Average(e => Num(e, "latency_ms")), 3, MidpointRounding.AwayFromZero)),
                ("errors", w.Events.Count(e => Num(e, "status") >= 500)),
                ("window_end", w.End)));
        AssertRows(expected, rows, tolerance: 0.0011);
    }

    [Fact]
    public void IotDevices_TumblingStatisticsPerDeviceAndType()
    {
        var (events, rows) = Run("iot-devices");
        var expected = Windows(events, 60_000, 60_000, e => Str(e, "device") + "|" + Str(e, "type"))
            .Select(w => Row(
                ("device", w.Key.Split('|')[0]),
                ("type", w.Key.Split('|')[1]),
                ("n", w.Events.Count),
                ("avg", Math.Round(w.Events.Average(e => Num(e, "value")), 3, MidpointRounding.AwayFromZero)),
                ("min", w.Events.Min(e => Num(e, "value"))),
                ("max", w.Events.Max(e => Num(e, "value"))),
                ("window_start", w.Start)));
        AssertRows(expected, rows);
    }

    [Fact]
    public void LogAnomaly_ErrorBurstsAndEscalations()
    {
        var (events, rows) = Run("log-anomaly", "anomalies");
        var errors = events.Where(e => Str(e, "level") == "ERROR").ToList();
        var expected = Windows(errors, 60_000, 60_000, e => Str(e, "service"), firstAppearanceIn: events)
            .Where(w => w.Events.Count > 5)
            .Select(w => Row(("service", w.Key), ("errors", w.Events.Count), ("window_start", w.Start)));
        AssertRows(expected, rows);
        Assert.NotEmpty(rows);

        var (_, escalations) = Run("log-anomaly", "escalations");
        var reference = new List<JsonElement>();
        var open = new List<JsonElement>();
        foreach (var e in events)
        {
            open.RemoveAll(w => Time(e) - Time(w) > 5_000);
            var done = open.Where(w => Str(e, "level") == "ERROR" && Str(e, "service") == Str(w, "service")).ToList();
            foreach (var w in done)
            {
                reference.Add(Row(("service", Str(w, "service")), ("warned_at", Time(w)), ("failed_at", Time(e))));
                open.Remove(w);
            }

            if (Str(e, "level") == "WARN")
            {
                open.Add(e);
            }
        }

        AssertRows(reference, escalations);
    }

    [Fact]
    public void StockMarket_CandlesAndMomentum()
    {
        var (events, candles) = Run("stock-market", "candles");
        var expected = Windows(events, 60_000, 60_000, e => Str(e, "symbol"))
            .Select(w => Row(
                ("symbol", w.Key),
                ("open", Num(w.Events[0], "price")),
                ("high", w.Events.Max(e => Num(e, "price"))),
                ("low", w.Events.Min(e => Num(e, "price"))),
                ("close", Num(w.Events[^1], "price")),
                ("volume", w.Events.Sum(e => (long)Num(e, "volume"))),
                ("window_start", w.Start)));
        AssertRows(expected, candles);

        var (_, momentum) = Run("stock-market", "momentum");
        Assert.NotEmpty(momentum);
        Assert.All(momentum, m => Assert.True(m.GetProperty("p2").GetDouble() > m.GetProperty("p1").GetDouble() * 1.005 && m.GetProperty("p3").GetDouble() > m.GetProperty("p2").GetDouble() * 1.005));
    }

    private static (List<JsonElement> Events, List<JsonElement> Rows) Run(string sample, string? output = null)
    {
        var lines = Generators.All[sample](Events, 3).ToList();
        var repo = Programs.RepositoryRoot;
        var query = File.ReadAllText(Path.Combine(repo, "samples", sample + ".sql"));
        var engine = new Engine.QueryEngine(Parsing.Analyzer.ParseAndCheck(query, sample));
        var rows = new List<JsonElement>();
        void Emit(Engine.OutputRow row)
        {
            if (output is null || row.Output == output)
            {
                using var buffer = new MemoryStream();
                using (var writer = new Utf8JsonWriter(buffer))
                {
                    row.WriteJson(writer);
                }

                rows.Add(JsonDocument.Parse(buffer.ToArray()).RootElement);
            }
        }

        for (var i = 0; i < lines.Count; i++)
        {
            engine.Push(Engine.Event.FromJson(System.Text.Encoding.UTF8.GetBytes(lines[i]), i), Emit);
        }

        engine.End(Emit);
        return ([.. lines.Select(l => JsonDocument.Parse(l).RootElement)], rows);
    }

    /// <summary>Interval windows computed directly, ordered as the contract orders emissions.</summary>
    private static List<(long Start, long End, string Key, List<JsonElement> Events)> Windows(List<JsonElement> events, long size, long slide, Func<JsonElement, string> key, List<JsonElement>? firstAppearanceIn = null)
    {
        var order = firstAppearanceIn ?? events;
        var first = new Dictionary<string, int>();
        for (var i = 0; i < order.Count; i++)
        {
            first.TryAdd(key(order[i]), i);
        }

        var windows = new Dictionary<(long, string), List<JsonElement>>();
        foreach (var e in events)
        {
            var t = Time(e);
            for (var start = (long)Math.Floor((double)t / slide) * slide; start > t - size; start -= slide)
            {
                var k = (start, key(e));
                if (!windows.TryGetValue(k, out var list))
                {
                    windows[k] = list = [];
                }

                list.Add(e);
            }
        }

        return [.. windows.OrderBy(w => w.Key.Item1 + size).ThenBy(w => w.Key.Item1).ThenBy(w => first[w.Key.Item2]).Select(w => (w.Key.Item1, w.Key.Item1 + size, w.Key.Item2, w.Value))];
    }

    private static JsonElement Row(params (string Name, object Value)[] columns)
        => JsonDocument.Parse(JsonSerializer.Serialize(columns.ToDictionary(c => c.Name, c => c.Value))).RootElement;

    /// <summary>
    /// Compares rows field by field. Numbers may differ by <paramref name="tolerance"/>: a float average summed in another
    /// order (pane by pane) can round to the neighbouring third decimal.
    /// </summary>
    private static void AssertRows(IEnumerable<JsonElement> expected, List<JsonElement> actual, double tolerance = 0)
    {
        var e = expected.ToList();
        Assert.Equal(e.Count, actual.Count);
        for (var i = 0; i < e.Count; i++)
        {
            foreach (var property in e[i].EnumerateObject())
            {
                var value = actual[i].GetProperty(property.Name);
                if (property.Value.ValueKind == JsonValueKind.Number)
                {
                    Assert.True(Math.Abs(property.Value.GetDouble() - value.GetDouble()) <= tolerance + (1e-9 * Math.Max(1, Math.Abs(value.GetDouble()))), $"row {i}: {property.Name} expected {property.Value} got {value} in {actual[i]}");
                }
                else
                {
                    Assert.Equal(property.Value.ToString(), value.ToString());
                }
            }
        }
    }

    private static long Time(JsonElement e) => e.GetProperty("_timestamp").GetInt64();

    private static string Str(JsonElement e, string name) => e.GetProperty(name).GetString()!;

    private static double Num(JsonElement e, string name) => e.GetProperty(name).GetDouble();
}
