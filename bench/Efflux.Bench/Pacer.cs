using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Efflux.Bench;

/// <summary>
/// Sends at a fixed rate without burning a core: between sends the pacing thread sleeps in steps of tens of
/// microseconds (usleep; .NET's own sleeps and timers have millisecond granularity). A pacer that spins instead takes
/// one of this machine's two cores away from the process under test for the whole measurement, and the latencies it
/// reports are then mostly the scheduler's. Every paced run is a latency measurement, so it starts from a settled disk:
/// sync(2) first writes back what earlier scenarios left dirty in the page cache (a leader-acknowledged produce leaves
/// ~100 MB), which would otherwise be flushed in the middle of the measurement and stall its fsyncs for ~100 ms.
/// </summary>
internal static partial class Pacer
{
    private const uint StepMicroseconds = 20;

    /// <summary>Calls <paramref name="send"/> for 0 … <paramref name="total"/> − 1 at <paramref name="rate"/> per second on a thread of its own, each call as soon as it is due.</summary>
    public static Task RunAsync(int rate, int total, Action<int> send) => ServiceBench.StartBlocking(() =>
    {
        Sync();
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < total; i++)
        {
            var due = TimeSpan.FromSeconds((double)i / rate);
            while (clock.Elapsed < due)
            {
                _ = Sleep(StepMicroseconds);
            }

            send(i);
        }
    });

    [LibraryImport("libc", EntryPoint = "sync")]
    private static partial void Sync();

    [LibraryImport("libc", EntryPoint = "usleep")]
    private static partial int Sleep(uint microseconds);
}
