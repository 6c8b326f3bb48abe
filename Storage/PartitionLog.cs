using System.Threading.Channels;
using Efflux.Format;
using Efflux.Storage.IO;
using Efflux.Storage.Log;
using Microsoft.Extensions.Logging;

namespace Efflux.Storage;

/// <summary>
/// One partition's hash-chained log: a single writer that group-commits appends, and lock-free readers.
/// <para>
/// Threading: any number of threads may append and read concurrently. Appends are queued (bounded, so producers feel
/// back-pressure) and taken by one writer loop, which assigns offsets, builds metadata and chains fingerprints, and writes
/// each batch with one write call; a flusher loop makes batches durable with one fdatasync for everything written
/// before it started, then acknowledges them, on one of a few threads the process's logs share for that (never on the
/// thread pool). Readers see a record once its acknowledgement condition is met and never wait for the writer.
/// </para>
/// </summary>
public sealed partial class PartitionLog : IAsyncDisposable
{
    private readonly PartitionLogOptions _options;
    private readonly ILogger _logger;

    // Readers parked in WaitForAsync.
    private int _waiting;

    // Whether the batch being encoded logs each record (Trace), asked once per batch rather than per record.
    private bool _traceRecords;
    private readonly TimeProvider _time;
    private readonly IStorageFileSystem _fs;
    private readonly byte[] _genesis;
    private readonly Channel<AppendRequest> _queue;
    private readonly Lock _segmentsLock = new();
    private readonly Lock _fileLock = new();
    private readonly RecoveryCheckpoint _checkpoint;
    private readonly IdempotencyTable _ids;

    // Copy-on-write list of segments, oldest first; the last one is active. Replaced under _segmentsLock.
    private Segment[] _segments;

    // Next offset readers may see; only grows. Guards every read.
    private long _visibleNext;
    private TaskCompletionSource _appended = NewSignal();
    private Exception? _failure;
    private Task _writerTask = Task.CompletedTask;
    private Task _flusherTask = Task.CompletedTask;
    private int _disposed;

    private PartitionLog(string directory, string ns, string topic, int partition, PartitionLogOptions options, RecoveryCheckpoint checkpoint, Segment[] segments)
    {
        Directory = directory;
        Namespace = ns;
        Topic = topic;
        Partition = partition;
        _options = options;
        _time = options.TimeProvider;
        _logger = options.Logger;
        _fs = options.FileSystem;
        _genesis = Genesis.For(ns, topic, partition);
        _checkpoint = checkpoint;
        _segments = segments;
        _ids = new IdempotencyTable(options.IdempotencyWindow, options.IdempotencyMaxEntries);
        _queue = Channel.CreateBounded<AppendRequest>(new BoundedChannelOptions(options.QueueCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    /// <summary>The partition directory.</summary>
    public string Directory { get; }

    /// <summary>The namespace name.</summary>
    public string Namespace { get; }

    /// <summary>The topic name.</summary>
    public string Topic { get; }

    /// <summary>The partition number.</summary>
    public int Partition { get; }

    /// <summary>What opening found and did.</summary>
    public RecoveryReport Recovery { get; private set; } = RecoveryReport.Empty;

    /// <summary>The first retained offset.</summary>
    public long StartOffset => Volatile.Read(ref _segments)[0].BaseOffset;

    /// <summary>The offset after the last visible record.</summary>
    public long NextOffset => Volatile.Read(ref _visibleNext);

    /// <summary>Bytes in all segment files.</summary>
    public long TotalBytes => Volatile.Read(ref _segments).Sum(s => s.Length);

    /// <summary>The first offset of every segment, oldest first; the last is the active segment's.</summary>
    public IReadOnlyList<long> SegmentBaseOffsets => [.. Volatile.Read(ref _segments).Select(s => s.BaseOffset)];

    /// <summary>Number of segment files.</summary>
    public int SegmentCount => Volatile.Read(ref _segments).Length;

    /// <summary>True after a write or fsync failure: appends fail until the partition is reopened.</summary>
    public bool IsReadOnly => Volatile.Read(ref _failure) is not null;

    /// <summary>Opens (creating when missing) a partition under <paramref name="dataDirectory"/> and recovers it.</summary>
    public static Task<PartitionLog> OpenAsync(string dataDirectory, string ns, string topic, int partition, PartitionLogOptions? options = null, CancellationToken cancellationToken = default)
    {
        var directory = StorageNames.PartitionDirectory(dataDirectory, ns, topic, partition);
        options ??= new PartitionLogOptions();
        options.Validate();
        return Task.Run(() => Open(Path.GetFullPath(dataDirectory), directory, ns, topic, partition, options), cancellationToken);
    }

    /// <summary>Waits until every queued append is written and durable, then closes the files.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _queue.Writer.TryComplete();
        await _writerTask.ConfigureAwait(false);
        _flushSignal.Release();
        await _flusherTask.ConfigureAwait(false);
        if (_failure is null)
        {
            CutZeros();
            FlushNow();
            CheckpointNow();
        }

        _appended.TrySetResult();
        lock (_fileLock)
        {
            _activeFile?.Dispose();
        }

        _checkpoint.Dispose();
        foreach (var segment in Volatile.Read(ref _segments))
        {
            segment.Dispose();
        }

        StorageLog.Closed(_logger, Directory, NextOffset, _failure is null);
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Raises visibility to <paramref name="next"/> and wakes tail followers.</summary>
    private void Publish(long next)
    {
        var current = Volatile.Read(ref _visibleNext);
        while (next > current)
        {
            var seen = Interlocked.CompareExchange(ref _visibleNext, next, current);
            if (seen == current)
            {
                Interlocked.Exchange(ref _appended, NewSignal()).TrySetResult();
                return;
            }

            current = seen;
        }
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
}
