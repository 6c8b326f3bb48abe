using System.Text.Json;

namespace Efflux.Bench;

/// <summary>One scenario's result, in the JSON shape every Efflux benchmark reports.</summary>
internal sealed record Measurement(string Scenario, long Messages, double Seconds, double PerSecond, double MbPerSecond, double P50us, double P99us)
{
    public static Measurement Of(string scenario, long messages, long bytes, TimeSpan elapsed, List<double>? latenciesUs = null)
    {
        latenciesUs?.Sort();
        return new Measurement(scenario, messages, elapsed.TotalSeconds, messages / elapsed.TotalSeconds, bytes / elapsed.TotalSeconds / (1 << 20), Percentile(latenciesUs, 0.50), Percentile(latenciesUs, 0.99));
    }

    /// <summary>Several runs of one scenario as one: every number is the median of that number over the runs.</summary>
    public static Measurement Median(IReadOnlyList<Measurement> runs)
    {
        double Of(Func<Measurement, double> value) => runs.Select(value).Order().ElementAt(runs.Count / 2);
        return new Measurement(runs[0].Scenario, (long)Of(r => r.Messages), Of(r => r.Seconds), Of(r => r.PerSecond), Of(r => r.MbPerSecond), Of(r => r.P50us), Of(r => r.P99us));
    }

    /// <summary>Runs <paramref name="oneRun"/> <paramref name="runs"/> times (printing each result) and prints and returns the median of each scenario.</summary>
    public static async Task<List<Measurement>> MediansAsync(int runs, string unit, Func<int, Task<List<Measurement>>> oneRun)
    {
        var byScenario = new Dictionary<string, List<Measurement>>();
        for (var run = 0; run < runs; run++)
        {
            foreach (var m in await oneRun(run))
            {
                Console.WriteLine($"  run {run + 1}: {m.Scenario,-64} {m.PerSecond,12:N0}/s  p50 {m.P50us,8:F1} µs  p99 {m.P99us,8:F1} µs");
                (byScenario.TryGetValue(m.Scenario, out var list) ? list : byScenario[m.Scenario] = []).Add(m);
            }
        }

        var results = byScenario.Values.Select(Median).ToList();
        Console.WriteLine();
        Console.WriteLine($"{"scenario",-64} {unit,10} {unit + "/s",12} {"p50 µs",9} {"p99 µs",9}");
        foreach (var m in results)
        {
            Console.WriteLine($"{m.Scenario,-64} {m.Messages,10:N0} {m.PerSecond,12:N0} {m.P50us,9:F1} {m.P99us,9:F1}");
        }

        return results;
    }

    /// <summary>Writes <paramref name="results"/> to <c>--json FILE</c> when it was given, and says so.</summary>
    public static void WriteJsonIfAsked(string? path, IEnumerable<Measurement> results)
    {
        if (path is not null)
        {
            WriteJson(path, results);
            Console.WriteLine($"wrote {path}");
        }
    }

    public static void WriteJson(string path, IEnumerable<Measurement> results)
    {
        using var stream = File.Create(path);
        using var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        w.WriteStartArray();
        foreach (var r in results)
        {
            w.WriteStartObject();
            w.WriteString("scenario", r.Scenario);
            w.WriteNumber("messages", r.Messages);
            w.WriteNumber("seconds", Math.Round(r.Seconds, 4));
            w.WriteNumber("perSecond", Math.Round(r.PerSecond));
            w.WriteNumber("mbPerSecond", Math.Round(r.MbPerSecond, 1));
            w.WriteNumber("p50us", Math.Round(r.P50us, 1));
            w.WriteNumber("p99us", Math.Round(r.P99us, 1));
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    private static double Percentile(List<double>? sorted, double p)
        => sorted is null || sorted.Count == 0 ? 0 : sorted[Math.Min(sorted.Count - 1, (int)(p * sorted.Count))];
}
