using System.Runtime.InteropServices;

namespace Efflux.Grains;

/// <summary>
/// Gives memory back when the silo can: the garbage collector keeps the space of what it freed (and the allocation
/// budget a busy moment grew) until it needs it, so a silo that served a burst, or had thousands of partitions open,
/// would hold that memory while quiet. Every 10 seconds, one aggressive (compacting, decommitting) collection runs when
/// at least <see cref="ClosedThreshold"/> partitions closed for idleness since the last such collection (however many
/// looks their closing spread over), or when the silo has been quiet (under 16 MiB allocated in the period) while the
/// collector holds more than twice the live heap plus 64 MiB.
/// After that collection the C library's heap gives back its free pages too (glibc's <c>malloc_trim</c>): what the
/// runtime and native libraries allocated there for thousands of open partitions stays with the process otherwise
/// (about 8 MiB after 2,000 partitions closed, measured with <c>RssAnon</c> before and after the call).
/// </summary>
public sealed partial class IdleMemoryTrim : IDisposable
{
    /// <summary>How many idle closes make a collection worth its pause.</summary>
    public const int ClosedThreshold = 100;

    private static readonly TimeSpan Period = TimeSpan.FromSeconds(10);
    private readonly Timer _timer;
    private int _closed;
    private long _allocated = GC.GetTotalAllocatedBytes();

    /// <summary>Starts the periodic look.</summary>
    public IdleMemoryTrim()
    {
        _timer = new Timer(_ => Look(), null, Period, Period);
    }

    /// <summary>A partition closed because it was idle.</summary>
    public void ClosedIdle() => Interlocked.Increment(ref _closed);

    private void Look()
    {
        var allocated = GC.GetTotalAllocatedBytes();
        var quiet = allocated - Interlocked.Exchange(ref _allocated, allocated) < 16 << 20;
        var memory = GC.GetGCMemoryInfo();
        var live = memory.HeapSizeBytes - memory.FragmentedBytes;
        var slack = memory.TotalCommittedBytes > (2 * live) + (64 << 20);
        var closed = Volatile.Read(ref _closed);
        if (closed >= ClosedThreshold || (quiet && slack))
        {
            Interlocked.Add(ref _closed, -closed);
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            TrimNativeHeap();
        }
    }

    /// <summary>Returns the C library heap's free pages to the system, where that library is glibc (musl and others have no such call).</summary>
    private static void TrimNativeHeap()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        try
        {
            _ = MallocTrim(0);
        }
        catch (EntryPointNotFoundException)
        {
            // Not glibc: nothing to trim this way.
        }
    }

    [LibraryImport("libc", EntryPoint = "malloc_trim")]
    private static partial int MallocTrim(nuint pad);

    /// <inheritdoc />
    public void Dispose() => _timer.Dispose();
}
