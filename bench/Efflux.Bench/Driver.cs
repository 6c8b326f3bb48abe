using System.Diagnostics;

namespace Efflux.Bench;

/// <summary>Drives calls at a fixed number in flight, timing each; warms a scenario before its clock starts.</summary>
internal static class Driver
{
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Repeats a scenario's warm-up for at least two seconds and three rounds, so tiered compilation has replaced the
    /// first code of its hot paths before the clock starts.
    /// </summary>
    public static async Task WarmAsync(Func<Task> round)
    {
        var warming = Stopwatch.StartNew();
        for (var r = 0; r < 3 || warming.Elapsed < WarmUp; r++)
        {
            await round();
        }
    }

    /// <summary>Makes <paramref name="calls"/> calls, <paramref name="inFlight"/> at a time, timing each.</summary>
    public static async Task<Measurement> DriveAsync<T>(string scenario, int calls, int inFlight, Func<int, Task<T>> call)
    {
        var next = -1;
        var latencies = new List<double>[inFlight];
        var sw = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, inFlight).Select(async loop =>
        {
            var mine = latencies[loop] = new List<double>(calls / inFlight + 1);
            int n;
            while ((n = Interlocked.Increment(ref next)) < calls)
            {
                var start = Stopwatch.GetTimestamp();
                await call(n);
                mine.Add(Stopwatch.GetElapsedTime(start).TotalMicroseconds);
            }
        }));
        var elapsed = sw.Elapsed;
        return Measurement.Of(scenario, calls, 0, elapsed, [.. latencies.SelectMany(l => l)]);
    }
}
