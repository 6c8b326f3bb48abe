using System.Diagnostics;
using System.Globalization;

namespace Efflux.Bench;

/// <summary>Drives calls at a fixed number in flight, timing each; warms a scenario before its clock starts.</summary>
internal static class Driver
{
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(2);

    // Longer than any warm-up seen here (a fresh silo's compiler went quiet after 3 to 8 seconds of reads).
    private static readonly TimeSpan MostWarmUp = TimeSpan.FromSeconds(60);

    // A second of rounds in which a watched process's background compiler ran longer than this has not warmed it yet
    // (/proc counts in 10 ms ticks, and a stray method compiled now and then is not the hot path being replaced).
    private const long QuietMilliseconds = 20;

    // How long a watched compiler must stay quiet (its idle gaps between bursts last a round or two).
    private static readonly TimeSpan QuietSpan = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Repeats a scenario's warm-up for at least two seconds and three rounds, so tiered compilation has replaced the
    /// first code of its hot paths before the clock starts; and then until, for a second of rounds at least, the
    /// background tiered compiler of this process (the client) and of each process in <paramref name="compiling"/> (the
    /// silo under test) was quiet. A fresh silo reading at full speed kept that thread busy for 3 to 8 seconds, and until
    /// it was done, reads ran at half speed. The compiler works in bursts with idle gaps of a round or two between them
    /// (it waits for call counts, and waits again while new code is still being jitted), so one quiet round says
    /// nothing: warm-ups that ended on one were followed by consume passes at a third to a half of the later rate, at two
    /// to three times the CPU per record in both processes, for their first second.
    /// </summary>
    public static async Task WarmAsync(Func<Task> round, params int[] compiling)
    {
        int[] watched = [Environment.ProcessId, .. compiling];
        var warming = Stopwatch.StartNew();
        var rounds = new List<(TimeSpan Ended, long[] Compiled)>();
        for (var r = 1; ; r++)
        {
            var before = watched.Select(TieredCompilerTime).ToArray();
            await round();
            rounds.Add((warming.Elapsed, watched.Select((process, i) => Compiled(before[i], TieredCompilerTime(process))).ToArray()));
            if (r >= 3 && warming.Elapsed >= WarmUp && QuietFor(rounds, QuietSpan))
            {
                Console.WriteLine($"  warm-up: {r} rounds, {warming.Elapsed.TotalSeconds:F1} s");
                return;
            }

            if (warming.Elapsed >= MostWarmUp)
            {
                Console.WriteLine($"  warm-up: still compiling after {MostWarmUp.TotalSeconds:F0} s; measuring anyway");
                return;
            }
        }
    }

    /// <summary>Whether, in the last rounds that together took <paramref name="span"/> or more, no watched compiler ran longer than <see cref="QuietMilliseconds"/>.</summary>
    private static bool QuietFor(List<(TimeSpan Ended, long[] Compiled)> rounds, TimeSpan span)
    {
        var last = rounds[^1].Ended;
        var since = rounds.FindLastIndex(round => last - round.Ended >= span);
        return since >= 0 && Enumerable.Range(0, rounds[^1].Compiled.Length).All(p => rounds.Skip(since + 1).Sum(round => round.Compiled[p]) <= QuietMilliseconds);
    }

    /// <summary>
    /// CPU milliseconds used so far by each of <paramref name="process"/>'s background tiered-compilation threads (the
    /// runtime names them ".NET Tiered Compilation Worker"; Linux shows 15 characters), by thread id, from /proc.
    /// </summary>
    private static Dictionary<int, long> TieredCompilerTime(int process)
    {
        var time = new Dictionary<int, long>();
        foreach (var thread in Directory.EnumerateDirectories($"/proc/{process}/task"))
        {
            try
            {
                if (!File.ReadAllText(Path.Combine(thread, "comm")).StartsWith(".NET Tiered", StringComparison.Ordinal))
                {
                    continue;
                }

                // Fields after the parenthesised name, from the state (field 3): utime and stime are fields 14 and 15.
                var stat = File.ReadAllText(Path.Combine(thread, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
                time[int.Parse(Path.GetFileName(thread), CultureInfo.InvariantCulture)] = ticks * 10;
            }
            catch (IOException)
            {
                // The thread ended meanwhile (its directory went away).
            }
        }

        return time;
    }

    // The compiler threads come and go (one exits when idle): what each thread present now used since before.
    private static long Compiled(Dictionary<int, long> before, Dictionary<int, long> now)
        => now.Sum(t => t.Value - before.GetValueOrDefault(t.Key));

    /// <summary>
    /// Waits until <paramref name="process"/> (the silo) has been idle for a quarter of a second: under 5 % of one core,
    /// at most five seconds. A latency row measures the service at rest, as each peer's row does in a server it has just
    /// started, not the tail of the scenario before it (a flood of REST batches, say) still being worked off.
    /// </summary>
    public static async Task SettleAsync(int process)
    {
        var interval = TimeSpan.FromMilliseconds(250);
        var waiting = Stopwatch.StartNew();
        var busy = new List<double>();
        string Readings() => string.Join(' ', busy.Select(b => b.ToString("F0", CultureInfo.InvariantCulture)));
        while (waiting.Elapsed < TimeSpan.FromSeconds(5))
        {
            var before = CpuTime.Of(process);
            await Task.Delay(interval);
            var used = CpuTime.Of(process) - before;
            if (used < interval / 20)
            {
                Console.WriteLine($"  settle: {waiting.Elapsed.TotalSeconds:F2} s ({Readings()})");
                return;
            }

            busy.Add(used.TotalMilliseconds);
        }

        Console.WriteLine($"  settle: the silo stayed busy for 5 s ({Readings()} ms per 250 ms); measuring anyway");
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
