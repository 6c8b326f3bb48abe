using Microsoft.Extensions.Logging;
using Orleans.Streams;

namespace Efflux.Grains.Streams;

/// <summary>
/// The cache of one queue of the Efflux stream provider: a <see cref="StreamWindow"/> per partition the queue reads,
/// and the cursors of the subscribers over them. Its receiver (<see cref="EffluxQueueReceiver"/>) fills the windows
/// from the log; it never holds more than <see cref="EffluxStreamOptions.WindowRecords"/> records of a partition.
/// </summary>
internal sealed partial class StreamQueue(EffluxStreamOptions options, ILogger logger) : IQueueCache
{
    private readonly Dictionary<StreamId, StreamWindow> _windows = [];
    private TaskCompletionSource _wake = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public object Sync { get; } = new();

    public EffluxStreamOptions Options { get; } = options;

    /// <summary>Completes when a cursor needs the receiver: it waits below a window, or freed room in a full one.</summary>
    public Task Woken
    {
        get
        {
            lock (Sync)
            {
                return _wake.Task;
            }
        }
    }

    public void Wake()
    {
        lock (Sync)
        {
            _wake.TrySetResult();
        }
    }

    /// <summary>Starts a new wait for <see cref="Woken"/>.</summary>
    public void Rearm()
    {
        lock (Sync)
        {
            if (_wake.Task.IsCompleted)
            {
                _wake = new(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }
    }

    /// <summary>The window of a partition the receiver reads (again, if it was dropped).</summary>
    public StreamWindow Window(StreamId stream, int partition)
    {
        lock (Sync)
        {
            var window = Find(stream, partition);
            window.Dropped = false;
            return window;
        }
    }

    private StreamWindow Find(StreamId stream, int partition)
    {
        if (!_windows.TryGetValue(stream, out var window))
        {
            _windows[stream] = window = new StreamWindow(stream, partition);
        }

        return window;
    }

    /// <summary>
    /// Lets go of a partition this queue no longer reads. Subscribers' cursors outlive that (the pulling agent keeps
    /// them), so while any cursor holds the window it stays, emptied and unknown: if the queue reads the partition
    /// again, it fills the same window and those cursors go on from their positions (a cursor left on a window of its
    /// own would never see another record). It goes with its last cursor.
    /// </summary>
    public void Forget(StreamId stream)
    {
        lock (Sync)
        {
            if (_windows.TryGetValue(stream, out var window))
            {
                window.Drop();
                if (window.Cursors == 0)
                {
                    _windows.Remove(stream);
                }
            }
        }
    }

    /// <summary>Removes a disposed cursor; a window of a partition no longer read goes with its last cursor.</summary>
    public void Release(StreamWindow window, StreamCursor cursor)
    {
        lock (Sync)
        {
            window.Remove(cursor);
            if (window.Dropped && window.Cursors == 0 && _windows.TryGetValue(window.Stream, out var held) && held == window)
            {
                _windows.Remove(window.Stream);
            }
        }
    }

    public ILogger Logger { get; } = logger;

    [LoggerMessage(Level = LogLevel.Debug, Message = "Cursor at {Position} of {Stream} is below its window [{Low}, {High}) of {Cursors} cursors: asking a reread")]
    public static partial void LogBehind(ILogger logger, long position, StreamId stream, long low, long high, int cursors);

    [LoggerMessage(Level = LogLevel.Debug, Message = "New cursor at {Position} of {Stream} (window [{Low}, {High}), known {Known})")]
    public static partial void LogCursor(ILogger logger, long position, StreamId stream, long low, long high, bool known);

    public int GetMaxAddCount() => QueueAdapterConstants.UNLIMITED_GET_QUEUE_MSG;

    public void AddToCache(IList<IBatchContainer> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        lock (Sync)
        {
            foreach (var container in messages.OfType<EffluxBatchContainer>())
            {
                var window = Find(container.StreamId, container.Partition);
                if (container.Count == 0)
                {
                    window.Announce(container.FirstOffset);
                    continue;
                }

                window.Append(container.FirstOffset, container.Records, container.Count);
            }
        }
    }

    public bool TryPurgeFromCache(out IList<IBatchContainer> purgedItems)
    {
        lock (Sync)
        {
            foreach (var window in _windows.Values)
            {
                window.Evict(Options.DeliveryBatch);
            }
        }

        purgedItems = [];
        return false;
    }

    public IQueueCacheCursor GetCacheCursor(StreamId streamId, StreamSequenceToken? token)
    {
        lock (Sync)
        {
            var partition = EffluxStreams.Parse(streamId).Partition;
            var window = Find(streamId, partition);
            var cursor = new StreamCursor(this, window, token?.SequenceNumber ?? (window.Known ? window.High : -1));
            LogCursor(Logger, cursor.Position, streamId, window.Low, window.High, window.Known);
            window.Add(cursor);
            return cursor;
        }
    }

    public bool IsUnderPressure() => false;

    /// <summary>Evicts what every cursor has passed; true when the partition has room for more records.</summary>
    public bool HasRoom(StreamWindow window)
    {
        lock (Sync)
        {
            window.Evict(Options.DeliveryBatch);
            return window.Count < Options.WindowRecords;
        }
    }
}
