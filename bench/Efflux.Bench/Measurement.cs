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

    /// <summary>The run with the median rate of several runs of one scenario.</summary>
    public static Measurement Median(IReadOnlyList<Measurement> runs) => runs.OrderBy(r => r.PerSecond).ElementAt(runs.Count / 2);

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
