using System.Buffers;
using System.Diagnostics;
using System.Threading.Channels;
using Efflux.Format;
using Efflux.Storage.Indexing;
using Efflux.Storage.IO;
using Efflux.Storage.Log;
using Microsoft.Extensions.Logging;

namespace Efflux.Storage;

public sealed partial class PartitionLog
{
    /// <summary>The largest batch (estimated bytes) after which the writer syncs itself when nothing else waits.</summary>
    private const long SyncHereBytes = 64 << 10;

    private readonly SemaphoreSlim _flushSignal = new(0);

    // Guarded by _ackLock. Not a ConcurrentQueue: its TryPeek marks the queue's current segment as observed, and from
    // then on dequeuing leaves the slots filled and the segment is never reused, so every request acknowledged through
    // it (messages, payloads, results) stayed reachable from an array that had long been promoted. Each young-generation
    // collection then promoted megabytes of them: pauses of 10-25 ms every second under durable appends.
    private readonly Queue<PendingAck> _pendingAcks = new();
    private readonly List<AppendRequest> _batch = [];
    private readonly Lock _ackLock = new();

    // Writer-only state: the chain head and where the next record goes.
    private ILogFile _activeFile = null!;
    // Rented for one batch and returned after it: an idle partition holds no write buffer.
    private byte[] _buffer = [];
    private long _nextOffset;
    private readonly byte[] _lastFingerprint = new byte[RecordLayout.HashSize];
    private long _lastRecordPosition = -1;
    private long _lastRecordSegment;
    // Where the active file's written bytes end: its last record, or the zeros written ahead of it.
    private long _zeroedTo;
    private bool _zeroAheadFailed;
    private long _writtenLsn;
    private long _activeFirstCreatedTicks;
    private long _recoveredNext;
    private long _openedTicks;

    // Written by the writer after every write, read by the flusher: a consistent picture of what is on disk.
    private WriteState? _writeState;
    private long _durableLsn;
    private long _checkpointedLsn;

    /// <summary>Appends one message.</summary>
    public async Task<AppendResult> AppendAsync(AppendMessage message, Durability durability = Durability.Durable, long? expectedOffset = null, CancellationToken cancellationToken = default)
    {
        var results = await AppendBatchAsync([message], durability, expectedOffset, cancellationToken).ConfigureAwait(false);
        return results[0];
    }

    /// <summary>
    /// Appends messages as one contiguous run of offsets in one group commit. With <paramref name="expectedOffset"/> the
    /// batch is appended only if the partition's next offset equals it; otherwise every result is
    /// <see cref="AppendStatus.ExpectedOffsetMismatch"/> and nothing is written.
    /// </summary>
    /// <remarks>
    /// When the queue has room, the caller gets the request's own completion: its continuation runs straight from the
    /// writer's acknowledgement, with no async method between them. The writer reads <paramref name="messages"/> when it
    /// gets to them, so the list must not change until the returned task completes.
    /// </remarks>
    public Task<AppendResult[]> AppendBatchAsync(IReadOnlyList<AppendMessage> messages, Durability durability = Durability.Durable, long? expectedOffset = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<AppendResult[]>(cancellationToken);
        }

        AppendRequest request;
        try
        {
            ThrowIfDisposed();
            if (messages.Count == 0)
            {
                return Task.FromResult<AppendResult[]>([]);
            }

            if (Volatile.Read(ref _failure) is { } failure)
            {
                throw new PartitionReadOnlyException(Directory, failure);
            }

            request = new AppendRequest(messages, durability, expectedOffset, _options.MaxPayloadBytes);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A closed or failed log and invalid messages fail the returned task, not the call.
            return Task.FromException<AppendResult[]>(ex);
        }

        if (_queue.Writer.TryWrite(request))
        {
            return request.Completion.Task;
        }

        return EnqueueWhenRoomAsync(request, cancellationToken);
    }

    // Back-pressure: the queue is full (or closed), so wait for room.
    private async Task<AppendResult[]> EnqueueWhenRoomAsync(AppendRequest request, CancellationToken cancellationToken)
    {
        try
        {
            await _queue.Writer.WriteAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
            throw new ObjectDisposedException(nameof(PartitionLog));
        }

        return await request.Completion.Task.ConfigureAwait(false);
    }

    /// <summary>Makes every record written so far durable (for producers that used <see cref="Durability.Leader"/>).</summary>
    public Task FlushAsync() => SyncThreads.Shared.Run(FlushNow);

    /// <summary>
    /// The flusher runs on <see cref="SyncThreads"/>, not on the thread pool: it blocks in <c>fdatasync</c>, for
    /// milliseconds when the disk is busy. On a pool worker, eight partitions appending batches at once kept most of a
    /// two-core machine's workers blocked in fdatasync while every append's next step waited for the pool to add
    /// threads; in bench storage (alternating builds, three pairs) 8 partitions went from 1.13–1.28× one partition's
    /// rate to 1.62–1.80× (1.60–1.71× with a thread per partition's flusher, which a silo of thousands of partitions
    /// could not afford). The writer stays on the pool: its blocking calls are short (a <c>pwrite</c>, and the
    /// fdatasync of a small batch with nothing queued behind it), and there the caller's thread often runs it next
    /// without a thread switch; a writer thread of its own cost one producer a tenth of its rate and doubled the batch-1
    /// p99 at times.
    /// </summary>
    private void StartLoops()
    {
        _writerTask = Task.Run(WriterLoopAsync);
        _flusherTask = SyncThreads.Shared.Start(FlusherLoopAsync);
    }

    private async Task WriterLoopAsync()
    {
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            _batch.Clear();
            long bytes = 0;
            while (bytes < _options.MaxBatchBytes && reader.TryRead(out var request))
            {
                _batch.Add(request);
                bytes += request.EstimatedBytes;
            }

            if (Volatile.Read(ref _failure) is { } failure)
            {
                foreach (var r in _batch)
                {
                    r.Completion.TrySetException(new PartitionReadOnlyException(Directory, failure));
                }

                continue;
            }

            try
            {
                WriteBatch();
            }
            catch (Exception ex)
            {
                // An I/O failure, or a bug that left the chain state unknown: either way nothing more may be appended.
                StorageLog.WriteFailed(_logger, Directory, _batch.Count, ex);
                Fail(ex);
                foreach (var r in _batch)
                {
                    r.Completion.TrySetException(new PartitionReadOnlyException(Directory, ex));
                }
            }
        }
    }

    /// <summary>Encodes the batch into one buffer and writes it; acknowledges per durability mode.</summary>
    private void WriteBatch()
    {
        long estimate = 0;
        foreach (var request in _batch)
        {
            estimate += request.EstimatedBytes;
        }

        _buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(Math.Max(estimate, 4096), 1 << 20));
        var (firstOffset, firstLsn) = (_nextOffset, _writtenLsn);
        try
        {
            EncodeAndWrite(estimate);
            StorageMetrics.Appended(_nextOffset - firstOffset, _writtenLsn - firstLsn);
            StorageLog.BatchWritten(_logger, Directory, _batch.Count, _nextOffset - firstOffset, firstOffset, _writtenLsn - firstLsn);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
        }

        if (estimate <= SyncHereBytes)
        {
            ZeroAhead();
        }
    }

    /// <summary>
    /// Encodes every request of the batch (about <paramref name="estimate"/> bytes) into the rented buffer, writes it,
    /// and acknowledges by durability.
    /// </summary>
    private void EncodeAndWrite(long estimate)
    {
        var now = _time.GetUtcNow().UtcTicks;
        _traceRecords = _logger.IsEnabled(LogLevel.Trace);
        _ids.Evict(now);
        if (ActiveSegment.Count > 0 && now - _activeFirstCreatedTicks > _options.SegmentMaxAge.Ticks)
        {
            Roll();
        }

        var cursor = new BatchCursor(ActiveSegment);
        var acks = new BatchAcks();
        foreach (var request in _batch)
        {
            if (request.ExpectedOffset is { } expected && expected != _nextOffset)
            {
                Array.Fill(request.Results, new AppendResult(AppendStatus.ExpectedOffsetMismatch, _nextOffset, string.Empty, ReadOnlyMemory<byte>.Empty));
                request.Completion.TrySetResult(request.Results);
                continue;
            }

            for (var i = 0; i < request.Messages.Count; i++)
            {
                EncodeMessage(request, i, now, cursor);
            }

            acks.Add(request);
        }

        WriteOut(cursor.Active, cursor.BufferLength, cursor.SegmentStartCount);
        var syncHere = false;
        if (acks.Durable.Count > 0)
        {
            lock (_ackLock)
            {
                _pendingAcks.Enqueue(new PendingAck(_writtenLsn, acks.Durable));
            }

            syncHere = estimate <= SyncHereBytes && !_queue.Reader.TryPeek(out _);
            if (!syncHere)
            {
                _flushSignal.Release();
            }
        }

        if (acks.Leader.Count > 0 || acks.None)
        {
            Publish(_nextOffset);
            foreach (var r in acks.Leader)
            {
                r.Completion.TrySetResult(r.Results);
            }
        }

        if (syncHere)
        {
            SyncHere();
        }
    }

    private static readonly byte[] Zeros = new byte[64 << 10];

    /// <summary>
    /// Writes zeros ahead of the active segment's last record (up to <see cref="PartitionLogOptions.ZeroAheadBytes"/> on,
    /// never past the segment's largest size) once fewer than half of them are left, so that the small appends after
    /// it land in bytes the file already has (see there). After the batch is acknowledged and counted, so that none
    /// of its appends waits for it; the next fdatasync carries the zeros once. A failure to write them (a full disk) is
    /// not an append's failure: they are cut off again, and not tried again in this segment.
    /// </summary>
    private void ZeroAhead()
    {
        if (_options.ZeroAheadBytes <= 0 || _zeroAheadFailed || Volatile.Read(ref _failure) is not null)
        {
            return;
        }

        var end = ActiveSegment.Length;
        var from = Math.Max(_zeroedTo, end);
        var to = Math.Min(end + _options.ZeroAheadBytes, _options.SegmentMaxBytes);
        if (from - end >= _options.ZeroAheadBytes / 2 || to <= from)
        {
            return;
        }

        try
        {
            // Only the writer writes to or swaps the active file, so no lock: the flusher may fsync meanwhile.
            for (var at = from; at < to; at += Zeros.Length)
            {
                _activeFile.Write(Zeros.AsSpan(0, (int)Math.Min(Zeros.Length, to - at)), at);
            }

            _zeroedTo = to;
        }
        catch (IOException ex)
        {
            StorageLog.ZeroAheadFailed(_logger, Directory, ex);
            _zeroAheadFailed = true;
            TryTruncate(end);
        }
    }

    /// <summary>Cuts the zeros written ahead off the active file and syncs its length, so that the file ends at its last record.</summary>
    private void CutZeros()
    {
        var end = ActiveSegment.Length;
        if (_zeroedTo <= end)
        {
            return;
        }

        lock (_fileLock)
        {
            _activeFile.Truncate(end);
            _activeFile.Flush();
        }

        _zeroedTo = end;
    }

    /// <summary>
    /// The writer's own fdatasync, after a small batch when no append waits to be written: it saves the hand-off to the
    /// flusher (a thread wake-up: bench storage batch=1 p50 went from 52–61 µs to 10–30 µs above the bare write+fsync).
    /// Appends that arrive meanwhile are written after it rather than during it. After a large batch, or with appends
    /// waiting, the flusher syncs while the writer encodes the next ones: streaming producers keep that overlap.
    /// </summary>
    private void SyncHere()
    {
        try
        {
            FlushNow();
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException)
        {
            StorageLog.SyncFailed(_logger, Directory, ex);
            Fail(ex);
        }
    }

    /// <summary>
    /// Encodes message <paramref name="i"/> of a request as the next record (or answers it as a duplicate of a recent
    /// id), writing out and rolling first when it would not fit in the active segment.
    /// </summary>
    private void EncodeMessage(AppendRequest request, int i, long now, BatchCursor cursor)
    {
        var message = request.Messages[i];
        var callerId = message.Id;
        if (callerId is not null && TryFindRecentId(callerId, now, out var original))
        {
            request.Results[i] = new AppendResult(AppendStatus.Duplicate, original, callerId, ReadOnlyMemory<byte>.Empty);
            return;
        }

        var generatedId = request.FirstGeneratedId + (ulong)i;
        Span<char> generated = stackalloc char[GeneratedIds.Length];
        var id = callerId is null ? GeneratedIds.Write(generatedId, generated) : callerId;
        var payload = request.Payloads[i].Span;
        var fields = new MetadataFields
        {
            Id = id,
            Offset = _nextOffset,
            CreatedTicks = now,
            TimestampTicks = message.Timestamp?.UtcTicks ?? now,
            PayloadHash = request.Hashes.AsSpan(i * RecordLayout.HashSize, RecordLayout.HashSize),
            LinkedFingerprint = _lastFingerprint,
            DataType = message.DataType,
            ContentType = message.ContentType,
            ContentEncoding = message.Compress ? "gzip" : message.ContentEncoding,
            MessageGroup = message.MessageGroup,
            Properties = message.Properties,
        };
        var maxLength = RecordLayout.Overhead + MetadataWriter.MaxLength(fields) + payload.Length;
        if (maxLength > RecordLayout.MaxRecordLength)
        {
            throw new InvalidOperationException("A record cannot exceed 1 GiB.");
        }

        if (cursor.Active.Count > 0 && cursor.Active.Length + cursor.BufferLength + maxLength > _options.SegmentMaxBytes)
        {
            WriteOut(cursor.Active, cursor.BufferLength, cursor.SegmentStartCount);
            Roll();
            cursor.Restart(ActiveSegment);
        }

        if (cursor.Active.Count == 0)
        {
            _activeFirstCreatedTicks = now;
        }

        EnsureBuffer(cursor.BufferLength + maxLength);
        var record = _buffer.AsSpan(cursor.BufferLength);
        var m = MetadataWriter.Write(record[RecordLayout.HeaderSize..], fields);
        var length = RecordLayout.Overhead + m + payload.Length;
        Sha256Fast.Hash(record.Slice(RecordLayout.HeaderSize, m), record.Slice(RecordLayout.FingerprintOffset, RecordLayout.HashSize));
        payload.CopyTo(record[(RecordLayout.HeaderSize + m)..]);
        RecordLayout.WriteFrame(record, length, m);

        var position = cursor.Active.Length + cursor.BufferLength;
        cursor.Active.AddPosition((int)position);
        var fingerprint = record.Slice(RecordLayout.FingerprintOffset, RecordLayout.HashSize);
        fingerprint.CopyTo(_lastFingerprint);
        _lastRecordPosition = position;
        _lastRecordSegment = cursor.Active.BaseOffset;

        // The payload's hash is in the metadata now, so its slot takes the fingerprint the result hands out.
        var slot = request.Hashes.AsMemory(i * RecordLayout.HashSize, RecordLayout.HashSize);
        fingerprint.CopyTo(slot.Span);
        if (callerId is null)
        {
            request.Results[i] = new AppendResult(_nextOffset, generatedId, slot);
        }
        else
        {
            request.Results[i] = new AppendResult(AppendStatus.Appended, _nextOffset, callerId, slot);
            _ids.Add(callerId, _nextOffset, now);
        }

        if (_traceRecords)
        {
            var idText = id.ToString();
            StorageLog.RecordAppended(_logger, Directory, _nextOffset, idText, length);
        }

        _nextOffset++;
        cursor.BufferLength += length;
    }

    /// <summary>Where the batch being encoded stands: its segment, the bytes encoded for it, and its record count before the batch.</summary>
    private sealed class BatchCursor(Segment active)
    {
        public Segment Active { get; private set; } = active;

        public int BufferLength { get; set; }

        public int SegmentStartCount { get; private set; } = active.Count;

        /// <summary>After a roll: a new, empty segment and an empty buffer.</summary>
        public void Restart(Segment active)
        {
            Active = active;
            BufferLength = 0;
            SegmentStartCount = 0;
        }
    }

    /// <summary>The batch's requests by how they are acknowledged.</summary>
    private sealed class BatchAcks
    {
        public List<AppendRequest> Durable { get; } = [];

        public List<AppendRequest> Leader { get; } = [];

        public bool None { get; private set; }

        public void Add(AppendRequest request)
        {
            switch (request.Durability)
            {
                case Durability.Durable:
                    Durable.Add(request);
                    break;
                case Durability.Leader:
                    Leader.Add(request);
                    break;
                default:
                    // Fire and forget: acknowledged with its offset before the write.
                    request.Completion.TrySetResult(request.Results);
                    None = true;
                    break;
            }
        }
    }

    /// <summary>Writes the encoded bytes to the active segment with one call and records the new on-disk state.</summary>
    private void WriteOut(Segment active, int bufferLength, int segmentStartCount)
    {
        if (bufferLength == 0)
        {
            return;
        }

        var position = active.Length;
        try
        {
            _activeFile.Write(_buffer.AsSpan(0, bufferLength), position);
        }
        catch
        {
            active.TrimPositions(segmentStartCount);
            TryTruncate(position);
            throw;
        }

        active.SetLength(position + bufferLength);
        _writtenLsn += bufferLength;
        Volatile.Write(ref _writeState, new WriteState(_activeFile, active.BaseOffset, _writtenLsn, position + bufferLength, _nextOffset, _lastRecordPosition, _lastRecordSegment, (byte[])_lastFingerprint.Clone()));
    }

    private void TryTruncate(long length)
    {
        _zeroedTo = length;
        try
        {
            _activeFile.Truncate(length);
        }
        catch (IOException ex)
        {
            // The torn bytes stay; recovery cuts them when the partition is reopened.
            StorageLog.TruncateFailed(_logger, Directory, length, ex);
        }
    }

    private void EnsureBuffer(int size)
    {
        if (size > _buffer.Length)
        {
            var larger = ArrayPool<byte>.Shared.Rent(Math.Max(size, _buffer.Length * 2));
            _buffer.AsSpan().CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = larger;
        }
    }

    private Segment ActiveSegment => _segments[^1];

    /// <summary>Seals the active segment (durably, with its offsets file) and starts the next one.</summary>
    private void Roll()
    {
        var old = ActiveSegment;
        CutZeros();
        FlushNow();
        CheckpointNow();
        OffsetsFile.Write(old.OffsetsPath, old.BaseOffset, old.Length, old.SnapshotPositions());
        var next = new Segment(Directory, _nextOffset, 0, positionsLoaded: true);
        var file = _fs.OpenLog(next.FilePath);
        _fs.SyncDirectory(Directory);
        lock (_fileLock)
        {
            _activeFile.Dispose();
            _activeFile = file;
        }

        // The new file holds nothing yet, zeros included.
        _zeroedTo = 0;
        _zeroAheadFailed = false;

        lock (_segmentsLock)
        {
            old.Seal(_nextOffset - old.BaseOffset);
            Volatile.Write(ref _segments, [.. _segments, next]);
        }

        Volatile.Write(ref _writeState, new WriteState(file, next.BaseOffset, _writtenLsn, 0, _nextOffset, _lastRecordPosition, _lastRecordSegment, (byte[])_lastFingerprint.Clone()));
        StorageLog.Rolled(_logger, Directory, old.BaseOffset, old.Length, next.BaseOffset);
    }

    /// <summary>A caller-supplied id seen recently: in the table, or (just after opening) in the records recovered.</summary>
    private bool TryFindRecentId(string id, long now, out long offset)
    {
        if (_ids.TryGet(id, out offset))
        {
            return true;
        }

        var window = _options.IdempotencyWindow.Ticks;
        if (_recoveredNext == 0 || now - _openedTicks > window)
        {
            return false;
        }

        var record = FindById(id, _recoveredNext, now - window);
        offset = record?.Offset ?? -1;
        return record is not null;
    }

    /// <summary>Runs on <see cref="SyncThreads"/>: its awaits come back there (ConfigureAwait(true)).</summary>
    private async Task FlusherLoopAsync()
    {
        while (true)
        {
            if (!await _flushSignal.WaitAsync(_options.UnsyncedFlushInterval).ConfigureAwait(true)
                && (Volatile.Read(ref _writeState) is not { } written || written.Lsn <= Volatile.Read(ref _durableLsn)))
            {
                // A quiet interval with nothing written unsynced (leader and none acks leave writes for this wait).
                continue;
            }

            while (_flushSignal.Wait(0))
            {
                // Coalesce: one fsync covers every batch written before it starts.
            }

            if (Volatile.Read(ref _failure) is not null)
            {
                FailPendingAcks();
            }
            else
            {
                try
                {
                    FlushNow();
                }
                catch (Exception ex) when (ex is IOException or ObjectDisposedException)
                {
                    StorageLog.SyncFailed(_logger, Directory, ex);
                    Fail(ex);
                }
            }

            if (Volatile.Read(ref _disposed) != 0 && _writerTask.IsCompleted && !AcksPending)
            {
                return;
            }
        }
    }

    /// <summary>Whether requests still wait for an fdatasync to be acknowledged.</summary>
    private bool AcksPending
    {
        get
        {
            lock (_ackLock)
            {
                return _pendingAcks.Count > 0;
            }
        }
    }

    /// <summary>fdatasync of the active file, then acknowledgement of everything it covers.</summary>
    private void FlushNow()
    {
        var state = Volatile.Read(ref _writeState);
        if (state is null)
        {
            return;
        }

        if (state.Lsn <= Volatile.Read(ref _durableLsn))
        {
            // Nothing new to sync, but a batch of only duplicates still waits for the point it depends on.
            MarkDurable(state);
            return;
        }

        TimeSpan? synced = null;
        lock (_fileLock)
        {
            // A file the writer has rolled away from was fsynced by the roll.
            if (ReferenceEquals(state.File, _activeFile))
            {
                var started = Stopwatch.GetTimestamp();
                _activeFile.Flush();
                synced = Stopwatch.GetElapsedTime(started);
            }
        }

        // Acknowledged first; measured and logged after, outside the file lock.
        MarkDurable(state);
        if (synced is { } elapsed)
        {
            StorageMetrics.Synced(elapsed);
            StorageLog.Synced(_logger, Directory, state.NextOffset, elapsed.TotalMilliseconds);
        }
    }

    private void MarkDurable(WriteState state)
    {
        lock (_ackLock)
        {
            if (state.Lsn > _durableLsn)
            {
                _durableLsn = state.Lsn;

                // Visible before acknowledged: a producer that reads its own write right after the ack must find it.
                Publish(state.NextOffset);
            }

            while (_pendingAcks.TryPeek(out var ack) && ack.Lsn <= _durableLsn)
            {
                _pendingAcks.Dequeue();
                foreach (var r in ack.Requests)
                {
                    r.Completion.TrySetResult(r.Results);
                }
            }

            if (state.Lsn - _checkpointedLsn >= _options.CheckpointIntervalBytes)
            {
                WriteCheckpoint(state);
            }
        }
    }

    /// <summary>Records the durable point now (at a roll and at close), so the next open scans nothing.</summary>
    private void CheckpointNow()
    {
        lock (_ackLock)
        {
            if (Volatile.Read(ref _writeState) is { } state && state.Lsn <= _durableLsn && state.Lsn > _checkpointedLsn)
            {
                WriteCheckpoint(state);
            }
        }
    }

    private void WriteCheckpoint(WriteState state)
    {
        if (state.LastRecordPosition < 0)
        {
            return;
        }

        // The checkpoint names the segment of the last record; after a roll that is the sealed one, whose end is the
        // durable point, and recovery continues into the new segment from its start.
        var segmentBase = state.LastRecordSegment;
        var end = segmentBase == state.SegmentBase ? state.EndPosition : Volatile.Read(ref _segments).First(s => s.BaseOffset == segmentBase).Length;
        _checkpoint.Write(new RecoveryCheckpoint.State(segmentBase, end, state.NextOffset, state.LastRecordPosition, state.LastFingerprint));
        _checkpointedLsn = state.Lsn;
    }

    /// <summary>
    /// Makes the partition read-only and fails every request waiting for an fsync. Called by the writer and the flusher;
    /// requests still queued are failed by the writer loop as it drains them, and the writer fails its own batch.
    /// </summary>
    private void Fail(Exception ex)
    {
        Interlocked.CompareExchange(ref _failure, ex, null);
        FailPendingAcks();
    }

    private void FailPendingAcks()
    {
        var failure = Volatile.Read(ref _failure)!;
        lock (_ackLock)
        {
            while (_pendingAcks.TryDequeue(out var ack))
            {
                foreach (var r in ack.Requests)
                {
                    r.Completion.TrySetException(new PartitionReadOnlyException(Directory, failure));
                }
            }
        }
    }

    /// <summary>Requests waiting for the fsync that covers byte <paramref name="Lsn"/> of the partition's write stream.</summary>
    private sealed record PendingAck(long Lsn, List<AppendRequest> Requests);

    /// <summary>What the writer last put on disk. Immutable.</summary>
    private sealed record WriteState(ILogFile File, long SegmentBase, long Lsn, long EndPosition, long NextOffset, long LastRecordPosition, long LastRecordSegment, byte[] LastFingerprint);
}
