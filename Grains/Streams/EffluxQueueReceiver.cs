using Microsoft.Extensions.Logging;
using Orleans.Streams;

namespace Efflux.Grains.Streams;

/// <summary>
/// Reads the partitions of one queue straight from the log into the queue's <see cref="StreamQueue"/>: one long-polled
/// fetch per partition at a time, from the position its subscribers need. A partition whose window is full is not
/// read until its slowest subscriber takes records; a cursor below a window rewinds the partition's read. Every
/// checkpoint interval it saves, per partition, the offset every subscriber has passed, and resumes there.
/// </summary>
internal sealed partial class EffluxQueueReceiver(
    string provider,
    QueueId queue,
    StreamQueue cache,
    StreamTopology topology,
    IStreamQueueMapper mapper,
    HomeQueues homes,
    IGrainFactory grains,
    TimeProvider time,
    ILogger logger) : IQueueAdapterReceiver
{
    /// <summary>The longest one call waits for records before it returns none (the pulling agent then calls again).</summary>
    private static readonly TimeSpan MaxCallWait = TimeSpan.FromMilliseconds(250);

    private static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(1);

    private readonly Dictionary<StreamId, Reader> _readers = [];
    private readonly string _queueName = queue.ToString();
    private readonly EffluxStreamOptions _options = cache.Options;
    private readonly Dictionary<string, long> _saved = [];
    private long _savedAt;

    // The topology and assignment the readers were last brought in line with (the pulling agent polls every few
    // milliseconds; both change only when topics or silos do).
    private IReadOnlyList<StreamPartition>? _trackedPartitions;
    private Func<StreamPartition, QueueId>? _trackedAssignment;

    /// <summary>
    /// Where a partition's position is saved: with the queue its stream hashes to, whichever queue reads it, so that a
    /// partition read by another queue (its home silo's, see <see cref="HomeQueues"/>) resumes where the last one was.
    /// </summary>
    private IStreamCheckpointGrain Checkpoints(StreamPartition partition) => grains.GetGrain<IStreamCheckpointGrain>(provider + "/" + mapper.GetQueueForStream(partition.Stream));

    public Task Initialize(TimeSpan timeout)
    {
        _savedAt = time.GetTimestamp();
        LogStarted(logger, provider, _queueName);
        return Task.CompletedTask;
    }

    [Obsolete("Use the overload which accepts a CancellationToken.")]
    public Task<IList<IBatchContainer>> GetQueueMessagesAsync(int maxCount) => GetQueueMessagesAsync(maxCount, CancellationToken.None);

    public async Task<IList<IBatchContainer>> GetQueueMessagesAsync(int maxCount, CancellationToken cancellationToken)
    {
        cache.Rearm();
        await TrackTopologyAsync();
        var now = time.GetTimestamp();
        foreach (var reader in _readers.Values)
        {
            Start(reader, now);
        }

        // With nothing read yet, wait for it (or for a topic to appear) as long as a call may: a queue with no partitions
        // that returned at once was asked again every few milliseconds, and an idle silo's eight queues kept a tenth of
        // a core busy waking the thread pool.
        var pending = _readers.Values.Where(r => r.Pending is not null).Select(r => (Task)r.Pending!).ToList();
        if (!pending.Any(t => t.IsCompleted))
        {
            pending.Add(cache.Woken);
            pending.Add(topology.Changed);
            pending.Add(Task.Delay(MaxCallWait, time, cancellationToken));
            await Task.WhenAny(pending);
        }

        var read = new List<IBatchContainer>();
        foreach (var reader in _readers.Values)
        {
            Collect(reader, read);
        }

        await CheckpointAsync(force: false);
        return read;
    }

    [Obsolete("Use the overload which accepts a CancellationToken.")]
    public Task MessagesDeliveredAsync(IList<IBatchContainer> messages) => Task.CompletedTask;

    public async Task Shutdown(TimeSpan timeout)
    {
        try
        {
            await CheckpointAsync(force: true).WaitAsync(timeout);
        }
        catch (Exception ex) when (ex is EffluxException or TimeoutException or OrleansException)
        {
            LogCheckpointFailed(logger, ex, provider, _queueName);
        }

        LogStopped(logger, provider, _queueName);
    }

    /// <summary>
    /// Adds readers for the partitions this queue reads now (<see cref="HomeQueues"/>), from their saved positions, and
    /// drops those of deleted topics and those another queue reads now (saving their positions first).
    /// </summary>
    private async Task TrackTopologyAsync()
    {
        var partitions = await topology.GetAsync();
        var queueOf = homes.Now();
        if (ReferenceEquals(partitions, _trackedPartitions) && ReferenceEquals(queueOf, _trackedAssignment))
        {
            return;
        }

        var mine = partitions.Where(p => queueOf(p).Equals(queue)).ToDictionary(p => p.Stream);
        var gone = _readers.Keys.Where(s => !mine.ContainsKey(s)).ToList();
        if (gone.Count > 0)
        {
            await CheckpointAsync(force: true);
            foreach (var stream in gone)
            {
                LogPartitionDropped(logger, provider, _queueName, _readers[stream].Partition.Key);
                _readers.Remove(stream);
                cache.Forget(stream);
            }
        }

        var added = mine.Values.Where(p => !_readers.ContainsKey(p.Stream)).ToList();
        if (added.Count == 0)
        {
            (_trackedPartitions, _trackedAssignment) = (partitions, queueOf);
            return;
        }

        try
        {
            foreach (var saved in added.GroupBy(Checkpoints))
            {
                foreach (var (key, offset) in await saved.Key.GetAsync())
                {
                    _saved[key] = offset;
                }
            }
        }
        catch (Exception ex) when (ex is EffluxException or OrleansException or TimeoutException)
        {
            // Without its saved position a partition would start over: it is added on a later call.
            LogCheckpointFailed(logger, ex, provider, _queueName);
            return;
        }

        foreach (var partition in added)
        {
            var start = _saved.TryGetValue(partition.Key, out var saved) ? saved : _options.NewPartitionsFromStart ? -1 : long.MinValue;
            _readers[partition.Stream] = new Reader(partition, cache.Window(partition.Stream, partition.Partition), grains.GetGrain<IPartitionGrain>(partition.Key), start);
            LogPartitionAdded(logger, provider, _queueName, partition.Key, start);
        }

        (_trackedPartitions, _trackedAssignment) = (partitions, queueOf);
    }

    /// <summary>Starts the partition's next fetch unless one is running, it is waiting out a failure, or its window is full.</summary>
    private void Start(Reader reader, long now)
    {
        var window = reader.Window;
        long? rewind;
        lock (cache.Sync)
        {
            rewind = window.Rewind;
            if (rewind is { } r)
            {
                window.Reset(r);
            }
        }

        if (rewind is { } to)
        {
            LogRewind(logger, provider, reader.Partition.Key, to);
            reader.Next = to;
            reader.Generation++;
            reader.Pending = null;
        }

        if (reader.Pending is not null || now < reader.RetryAt || !cache.HasRoom(window))
        {
            return;
        }

        var generation = reader.Generation;
        reader.Pending = reader.Next == long.MinValue
            ? EndAsync(reader.Grain)
            : reader.Grain.FetchBatchAsync(reader.Next, _options.ReadBatch, 16 << 20, _options.PollWait, CancellationToken.None);
        reader.PendingGeneration = generation;
    }

    private static async Task<RecordBatch> EndAsync(IPartitionGrain grain)
    {
        var info = await grain.DescribeAsync();
        return new RecordBatch { Partition = info.Partition, NextOffset = info.NextOffset, EndOffset = info.NextOffset, StartOffset = info.StartOffset, FirstOffset = info.NextOffset };
    }

    /// <summary>Takes a finished fetch into <paramref name="read"/>: its records, or the partition's position when it had none.</summary>
    private void Collect(Reader reader, List<IBatchContainer> read)
    {
        if (reader.Pending is not { IsCompleted: true } done)
        {
            return;
        }

        reader.Pending = null;
        if (reader.PendingGeneration != reader.Generation)
        {
            return;
        }

        if (!done.IsCompletedSuccessfully)
        {
            Failed(reader, done.Exception?.InnerException ?? done.Exception!);
            return;
        }

        var batch = done.Result;
        var partition = reader.Partition;
        lock (cache.Sync)
        {
            reader.Window.Floor = batch.StartOffset;
        }

        if (batch.Count > 0)
        {
            // A container per piece, over the piece as fetched (its framing checked here, once): nothing is copied on
            // the way to the subscribers.
            var offset = batch.FirstOffset;
            foreach (var piece in batch.Pieces)
            {
                var count = 0;
                for (var at = 0; at < piece.Length; count++)
                {
                    at += EffluxMessage.FrameLength(piece.AsSpan(at), offset + count);
                }

                read.Add(new EffluxBatchContainer(partition.Stream, partition.Partition, offset, count, piece, new EffluxSequenceToken(partition.Partition, offset)));
                offset += count;
            }

            LogRead(logger, provider, partition.Key, batch.FirstOffset, batch.Count);
            reader.Next = batch.NextOffset;
            reader.Announced = true;
            return;
        }

        if (batch.NextOffset > reader.Next)
        {
            reader.Next = batch.NextOffset;
        }

        if (!reader.Announced && reader.Next >= 0)
        {
            read.Add(new EffluxBatchContainer(partition.Stream, partition.Partition, reader.Next, 0, ReadOnlyMemory<byte>.Empty, new EffluxSequenceToken(partition.Partition, reader.Next)));
            reader.Announced = true;
        }
    }

    private void Failed(Reader reader, Exception exception)
    {
        var error = exception is EffluxException own ? own : EffluxException.From(exception);
        if (error?.Error == EffluxError.OffsetOutOfRange)
        {
            // Below the oldest record (retention) or past the end (the topic was recreated): read from the oldest.
            reader.Next = -1;
            return;
        }

        reader.RetryAt = time.GetTimestamp() + (long)(RetryAfter.TotalSeconds * time.TimestampFrequency);
        LogReadFailed(logger, exception, provider, reader.Partition.Key);
    }

    private async Task CheckpointAsync(bool force)
    {
        if (!force && time.GetElapsedTime(_savedAt) < _options.CheckpointInterval)
        {
            return;
        }

        _savedAt = time.GetTimestamp();
        var changed = new List<(StreamPartition Partition, long Delivered)>();
        lock (cache.Sync)
        {
            foreach (var reader in _readers.Values)
            {
                var delivered = reader.Window.Delivered;
                if (delivered > 0 && (!_saved.TryGetValue(reader.Partition.Key, out var saved) || saved < delivered))
                {
                    changed.Add((reader.Partition, delivered));
                }
            }
        }

        try
        {
            foreach (var grain in changed.GroupBy(c => Checkpoints(c.Partition)))
            {
                await grain.Key.SaveAsync(grain.ToDictionary(c => c.Partition.Key, c => c.Delivered));
                foreach (var (partition, delivered) in grain)
                {
                    _saved[partition.Key] = delivered;
                }
            }
        }
        catch (Exception ex) when (ex is EffluxException or OrleansException or TimeoutException)
        {
            LogCheckpointFailed(logger, ex, provider, _queueName);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Stream provider {Provider} queue {Queue} starts")]
    private static partial void LogStarted(ILogger logger, string provider, string queue);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stream provider {Provider} queue {Queue} stops")]
    private static partial void LogStopped(ILogger logger, string provider, string queue);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stream provider {Provider} queue {Queue} reads {Partition} from offset {Start} (-1: the oldest; long.MinValue: the end)")]
    private static partial void LogPartitionAdded(ILogger logger, string provider, string queue, string partition, long start);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stream provider {Provider} queue {Queue} stops reading {Partition}: its topic is gone or another queue reads it now")]
    private static partial void LogPartitionDropped(ILogger logger, string provider, string queue, string partition);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Stream provider {Provider} rereads {Partition} from offset {Offset} for a subscriber behind its window")]
    private static partial void LogRewind(ILogger logger, string provider, string partition, long offset);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Stream provider {Provider} read {Partition} from offset {Offset}: {Count} records")]
    private static partial void LogRead(ILogger logger, string provider, string partition, long offset, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stream provider {Provider} could not read {Partition}; retrying in a second")]
    private static partial void LogReadFailed(ILogger logger, Exception exception, string provider, string partition);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stream provider {Provider} queue {Queue} could not save its positions")]
    private static partial void LogCheckpointFailed(ILogger logger, Exception exception, string provider, string queue);

    /// <summary>The read state of one partition.</summary>
    private sealed class Reader(StreamPartition partition, StreamWindow window, IPartitionGrain grain, long next)
    {
        public StreamPartition Partition { get; } = partition;

        public StreamWindow Window { get; } = window;

        public IPartitionGrain Grain { get; } = grain;

        /// <summary>The next offset to read; -1: the oldest stored; long.MinValue: the end, looked up first.</summary>
        public long Next { get; set; } = next;

        public Task<RecordBatch>? Pending { get; set; }

        public int Generation { get; set; }

        public int PendingGeneration { get; set; }

        public bool Announced { get; set; }

        public long RetryAt { get; set; }
    }
}
