using System.Globalization;

namespace Efflux.Bench;

/// <summary>CPU time used by a process so far, from the scheduler's per-thread nanosecond counters in /proc.</summary>
internal static class CpuTime
{
    /// <summary>
    /// The sum over <paramref name="process"/>'s live threads of their time on a CPU (the first field of
    /// /proc/&lt;pid&gt;/task/&lt;tid&gt;/schedstat, in nanoseconds). A thread that ended since an earlier reading takes its
    /// time with it, so a difference of two readings can come out a little low, never high.
    /// </summary>
    public static TimeSpan Of(int process)
    {
        long nanoseconds = 0;
        foreach (var thread in Directory.EnumerateDirectories($"/proc/{process}/task"))
        {
            try
            {
                var schedstat = File.ReadAllText(Path.Combine(thread, "schedstat"));
                nanoseconds += long.Parse(schedstat.AsSpan(0, schedstat.IndexOf(' ', StringComparison.Ordinal)), CultureInfo.InvariantCulture);
            }
            catch (IOException)
            {
                // The thread ended meanwhile.
            }
        }

        return TimeSpan.FromTicks(nanoseconds / 100);
    }
}
