using Efflux.Storage.IO;

namespace Efflux.Storage.Tests;

/// <summary>
/// Wraps a file system and fails on command: the next fsyncs, or every write once a byte budget is spent (a full disk,
/// which writes the part that fits and then fails, as a real short write does). For tests of the failure paths.
/// Thread-safe.
/// </summary>
public sealed class FaultInjectingFileSystem(IStorageFileSystem inner) : IStorageFileSystem
{
    private long _writeBudget = long.MaxValue;
    private int _failFsyncs;

    /// <summary>Makes the next <paramref name="count"/> fsyncs fail.</summary>
    public void FailNextFsyncs(int count) => Interlocked.Exchange(ref _failFsyncs, count);

    /// <summary>Lets only <paramref name="bytes"/> more bytes be written; then writes fail with "no space left".</summary>
    public void DiskFullAfter(long bytes) => Interlocked.Exchange(ref _writeBudget, bytes);

    /// <summary>Ends every injected fault.</summary>
    public void Heal()
    {
        Interlocked.Exchange(ref _writeBudget, long.MaxValue);
        Interlocked.Exchange(ref _failFsyncs, 0);
    }

    /// <summary>Number of fsyncs that succeeded, for assertions on group commit.</summary>
    public long FsyncCount => Interlocked.Read(ref _fsyncs);

    /// <summary>How many of <see cref="FsyncCount"/> ran on a thread-pool worker.</summary>
    public long FsyncsOnPoolThreads => Interlocked.Read(ref _poolFsyncs);

    private long _fsyncs;
    private long _poolFsyncs;

    /// <inheritdoc />
    public ILogFile OpenLog(string path) => new Faulty(this, inner.OpenLog(path));

    /// <inheritdoc />
    public void SyncDirectory(string path)
    {
        ThrowIfFsyncFails();
        inner.SyncDirectory(path);
    }

    private void ThrowIfFsyncFails()
    {
        var left = Volatile.Read(ref _failFsyncs);
        while (left > 0)
        {
            if (Interlocked.CompareExchange(ref _failFsyncs, left - 1, left) == left)
            {
                throw new IOException("Injected fsync failure (EIO).");
            }

            left = Volatile.Read(ref _failFsyncs);
        }
    }

    private sealed class Faulty(FaultInjectingFileSystem owner, ILogFile inner) : ILogFile
    {
        public long Length => inner.Length;

        public void Write(ReadOnlySpan<byte> data, long position)
        {
            var budget = Interlocked.Read(ref owner._writeBudget);
            if (budget >= data.Length)
            {
                Interlocked.Add(ref owner._writeBudget, -data.Length);
                inner.Write(data, position);
                return;
            }

            var fits = (int)Math.Max(0, budget);
            inner.Write(data[..fits], position);
            Interlocked.Exchange(ref owner._writeBudget, 0);
            throw new IOException("Injected failure: no space left on device (ENOSPC).");
        }

        public void Flush()
        {
            owner.ThrowIfFsyncFails();
            inner.Flush();
            Interlocked.Increment(ref owner._fsyncs);
            if (Thread.CurrentThread.IsThreadPoolThread)
            {
                Interlocked.Increment(ref owner._poolFsyncs);
            }
        }

        public void Truncate(long length) => inner.Truncate(length);

        public void Dispose() => inner.Dispose();
    }
}
