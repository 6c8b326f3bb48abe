using Efflux.Grains.Placement;
using Efflux.Storage;
using Efflux.Storage.Integrity;
using Efflux.Storage.IO;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Efflux.Grains;

/// <summary>
/// One partition's log on the silo that holds its files: placed on its home silo (<see cref="HomeSiloPlacement"/>), and
/// failing fast while that silo is down instead of starting an empty chain elsewhere. Reentrant: appends from many
/// callers meet in the log's group commit, and reads never wait for them.
/// </summary>
[HomeSiloPlacement]
[Reentrant]
[GrainType("efflux.partition")]
internal sealed partial class PartitionGrain(IOptions<EffluxOptions> options, CheckpointKey checkpointKey, ILocalSiloDetails silo, PartitionHealth health, IdleMemoryTrim trim, AppendMetrics metrics, TimeProvider time, ILogger<PartitionGrain> logger, ILoggerFactory loggers) : Grain, IPartitionGrain
{
    private static readonly TimeSpan RetentionInterval = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan FirstReopen = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan LastReopen = TimeSpan.FromSeconds(30);
    private IDisposable? _reopen;
    private TimeSpan _reopenDelay = FirstReopen;

    private PartitionLog? _log;
    private AppendOrder? _order;
    private TopicConfig _config = new();
    private string _ns = "";
    private string _topic = "";
    private int _partition;
    private IDisposable? _retention;
    private readonly Dictionary<string, Subscription> _subscriptions = new(StringComparer.Ordinal);
    private readonly HashSet<long> _segmentGrains = [];
    private long _recordsRead;

    // Set once DeleteAsync has removed the files: a second delete (the topic deletes its partitions twice) only deactivates.
    private bool _deleted;

    private PartitionLog Log => _log ?? throw EffluxException.Unavailable("The partition is closed.");

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var parts = GrainKeys.Split(this.GetPrimaryKeyString());
        if (parts.Length != 3 || !int.TryParse(parts[2], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out _partition))
        {
            throw EffluxException.Invalid($"'{this.GetPrimaryKeyString()}' is not namespace/topic/partition.");
        }

        (_ns, _topic) = (parts[0], parts[1]);
        _config = await GrainFactory.GetGrain<ITopicGrain>(GrainKeys.Topic(_ns, _topic)).GetConfigAsync();
        if (_partition >= _config.Partitions)
        {
            throw EffluxException.NoPartition(_ns, _topic, _config.Partitions, _partition);
        }

        _log = await OpenLogAsync(cancellationToken);
        LogOpened(logger, _ns, _topic, _partition, _log.StartOffset, _log.NextOffset);
        if (_config.RetentionAge is not null || _config.RetentionBytes is not null)
        {
            _retention = this.RegisterGrainTimer(ApplyRetentionAsync, new GrainTimerCreationOptions(RetentionInterval, RetentionInterval) { Interleave = true });
        }
    }

    /// <summary>Opens (recovers) the partition's log; its errors name no server path.</summary>
    private async Task<PartitionLog> OpenLogAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await PartitionLog.OpenAsync(options.Value.FullDataDirectory, _ns, _topic, _partition, new PartitionLogOptions
            {
                SegmentMaxBytes = _config.SegmentBytes,
                RetentionAge = _config.RetentionAge,
                RetentionBytes = _config.RetentionBytes,
                MaxPayloadBytes = _config.MaxMessageBytes,
                ZeroAheadBytes = options.Value.ZeroAheadBytes,
                UnsyncedFlushInterval = options.Value.UnsyncedFlushInterval,
                Logger = loggers.CreateLogger<PartitionLog>(),
            }, cancellationToken);
        }
        catch (CorruptLogException corrupt)
        {
            LogCorrupt(logger, _ns, _topic, _partition, corrupt);
            throw EffluxException.Unavailable("The partition's log failed its checks and is not opened: " + corrupt.Message.Replace(options.Value.FullDataDirectory + Path.DirectorySeparatorChar, "", StringComparison.Ordinal));
        }
        catch (Exception ex) when (StorageErrors.Translate(ex) is { } error)
        {
            throw error;
        }
    }

    /// <summary>
    /// After a write or fsync failure the log refuses appends: the silo's readiness says so, and the partition reopens
    /// its log by itself, with backoff (1 s doubling to 30 s), as soon as a probe write to its directory succeeds (the
    /// disk has room again). Reopening recovers the log from its files, as a restart would.
    /// </summary>
    private void ReportReadOnly()
    {
        if (_reopen is not null)
        {
            return;
        }

        health.ReadOnly(this.GetPrimaryKeyString(), "read-only after a storage failure; reopening by itself once writes succeed again");
        LogReadOnly(logger, _ns, _topic, _partition);
        _reopenDelay = FirstReopen;
        ScheduleReopen();
    }

    private void ScheduleReopen()
    {
        _reopen?.Dispose();
        _reopen = this.RegisterGrainTimer(TryReopenAsync, new GrainTimerCreationOptions(_reopenDelay, Timeout.InfiniteTimeSpan) { Interleave = true });
        LogReopenScheduled(logger, _ns, _topic, _partition, _reopenDelay);
        _reopenDelay = _reopenDelay * 2 < LastReopen ? _reopenDelay * 2 : LastReopen;
    }

    private async Task TryReopenAsync(CancellationToken cancellationToken)
    {
        if (_log is { IsReadOnly: false })
        {
            Recovered();
            return;
        }

        var directory = Path.Combine(options.Value.FullDataDirectory, _ns, _topic, _partition.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (!CanWrite(directory))
        {
            ScheduleReopen();
            return;
        }

        if (_log is { } failed)
        {
            _log = null;
            await failed.DisposeAsync();
        }

        try
        {
            _log = await OpenLogAsync(cancellationToken);
            LogReopened(logger, _ns, _topic, _partition, _log.NextOffset);
            Recovered();
        }
        catch (EffluxException ex)
        {
            LogReopenFailed(logger, _ns, _topic, _partition, ex.Message);
            ScheduleReopen();
        }
    }

    private void Recovered()
    {
        _reopen?.Dispose();
        _reopen = null;
        health.Recovered(this.GetPrimaryKeyString());
    }

    /// <summary>Whether a 64 KiB file can be written and fsynced in <paramref name="directory"/> (and is removed again).</summary>
    private bool CanWrite(string directory)
    {
        var probe = Path.Combine(directory, ".write-probe");
        try
        {
            using (var file = new FileStream(probe, PrivateFiles.Create(FileMode.Create)))
            {
                file.Write(new byte[64 << 10]);
                file.Flush(flushToDisk: true);
            }

            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            LogProbeFailed(logger, directory, ex.Message);
            return false;
        }
        finally
        {
            try
            {
                File.Delete(probe);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // The directory itself is gone or unwritable: the next probe says so again.
                LogProbeFailed(logger, directory, ex.Message);
            }
        }
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (reason.ReasonCode == DeactivationReasonCode.ActivationIdle)
        {
            trim.ClosedIdle();
        }

        LogClosing(logger, _ns, _topic, _partition, reason.ReasonCode);
        return CloseAsync(closeSegments: reason.ReasonCode != DeactivationReasonCode.ShuttingDown);
    }

    /// <summary>Ends the subscriptions, closes the log and, unless the silo is stopping (it takes them down itself), the segment grains.</summary>
    private async Task CloseAsync(bool closeSegments = true)
    {
        _retention?.Dispose();
        _reopen?.Dispose();
        _reopen = null;
        health.Recovered(this.GetPrimaryKeyString());
        foreach (var subscription in _subscriptions.Values.ToList())
        {
            await subscription.DisposeAsync();
        }

        _subscriptions.Clear();
        if (closeSegments)
        {
            await CloseSegmentsAsync(_ => true);
        }

        if (_log is { } log)
        {
            _log = null;
            await log.DisposeAsync();
        }
    }

    public async Task<List<ProduceResult>> AppendAsync(List<ProduceMessage> messages, ProduceOptions produceOptions)
    {
        ArgumentNullException.ThrowIfNull(messages);
        ArgumentNullException.ThrowIfNull(produceOptions);
        var arrived = time.GetTimestamp();
        Task<AppendResult[]> append;
        if (produceOptions.Sequence is { } sequence)
        {
            _order ??= new AppendOrder(time, options.Value.ProducerOrderWait);
            await _order.WaitTurnAsync(sequence, $"{_ns}/{_topic}/{_partition}");
            try
            {
                append = StartAppend(messages, produceOptions);
            }
            finally
            {
                _order.Taken(sequence);
            }
        }
        else
        {
            append = StartAppend(messages, produceOptions);
        }

        AppendResult[] appended;
        try
        {
            appended = await append;
        }
        catch (Exception ex) when ((ex as EffluxException ?? StorageErrors.Translate(ex)) is { } error)
        {
            if (_log is { IsReadOnly: true })
            {
                ReportReadOnly();
            }

            if (ReferenceEquals(error, ex))
            {
                throw;
            }

            throw error;
        }

        var results = new List<ProduceResult>(appended.Length);
        foreach (var r in appended)
        {
            if (r.Status == AppendStatus.ExpectedOffsetMismatch)
            {
                throw new EffluxException(EffluxError.OffsetMismatch, $"Expected next offset {produceOptions.ExpectedOffset}, but partition {_partition} of {_ns}/{_topic} is at {r.Offset}; nothing was appended.");
            }

            results.Add(new ProduceResult { Partition = _partition, Offset = r.Offset, Id = r.Id, Fingerprint = RecordMapper.Array(r.Fingerprint), Duplicate = r.Status == AppendStatus.Duplicate });
        }

        metrics.Acknowledged(produceOptions.Acks, time.GetElapsedTime(arrived));
        if (results.Count > 0)
        {
            LogAppended(logger, _ns, _topic, _partition, results.Count, results[0].Offset);
        }

        return results;
    }

    /// <summary>Checks the messages and hands them to the log's writer (in call order); the task completes with the acknowledgement.</summary>
    private Task<AppendResult[]> StartAppend(List<ProduceMessage> messages, ProduceOptions produceOptions)
    {
        if (messages.Count > options.Value.MaxBatchMessages)
        {
            throw new EffluxException(EffluxError.TooLarge, $"{messages.Count} messages in one append; the limit is {options.Value.MaxBatchMessages}.");
        }

        var batch = new AppendMessage[messages.Count];
        for (var i = 0; i < batch.Length; i++)
        {
            var m = messages[i] ?? throw EffluxException.Invalid($"Message {i} is null.");
            if (m.Payload.Length > _config.MaxMessageBytes)
            {
                throw new EffluxException(EffluxError.TooLarge, $"Message {i} has {m.Payload.Length} payload bytes; topic {_ns}/{_topic} allows {_config.MaxMessageBytes}.");
            }

            batch[i] = RecordMapper.ToAppend(m);
        }

        // The storage fails the returned task rather than throwing, and AppendAsync translates its errors (no Guard here:
        // its closure and async frame cost three objects per append).
        return Log.AppendBatchAsync(batch, RecordMapper.ToDurability(produceOptions.Acks), produceOptions.ExpectedOffset);
    }

    public Task<long> FlushAsync()
    {
        var log = Log;
        var end = log.NextOffset;
        return StorageErrors.Guard(async () =>
        {
            await log.FlushAsync();
            return end;
        });
    }

    public Task<PartitionInfo> DescribeAsync()
    {
        var log = Log;
        return Task.FromResult(new PartitionInfo
        {
            Partition = _partition,
            StartOffset = log.StartOffset,
            NextOffset = log.NextOffset,
            Bytes = log.TotalBytes,
            Segments = log.SegmentCount,
            HeadFingerprint = log.GetHead().Fingerprint,
            Silo = silo.Name,
            ReadOnly = log.IsReadOnly,
            RecordsRead = Interlocked.Read(ref _recordsRead),
            Waiting = log.Waiting,
        });
    }

    public Task<RecordData?> FetchAsync(long offset)
    {
        if (StorageErrors.Guard(() => Log.Read(offset)) is not { } record)
        {
            return Task.FromResult<RecordData?>(null);
        }

        CountRead(1);
        return Task.FromResult<RecordData?>(RecordMapper.ToData(record));
    }

    public async Task<RecordBatch> FetchBatchAsync(long fromOffset, int max, long maxBytes, TimeSpan wait, CancellationToken cancellationToken)
    {
        var log = Log;
        if (max < 1 || maxBytes < 1)
        {
            throw EffluxException.Invalid("max and maxBytes must be positive.");
        }

        if (fromOffset < 0)
        {
            fromOffset = log.StartOffset;
        }

        RequireStored(log, fromOffset, log.NextOffset);
        if (fromOffset == log.NextOffset && wait > TimeSpan.Zero)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(wait < options.Value.MaxWait ? wait : options.Value.MaxWait);
            try
            {
                await log.WaitForAsync(fromOffset, timeout.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // The wait ran out: an empty batch.
            }
        }

        // Sealed segments are read by their own grains; the active one here.
        var bases = log.SegmentBaseOffsets;
        var s = bases.Count - 1;
        while (s > 0 && bases[s] > fromOffset)
        {
            s--;
        }

        var batch = s < bases.Count - 1
            ? await Segment(bases[s]).FetchBatchAsync(fromOffset, max, maxBytes)
            : RecordMapper.ToBatch(_partition, StorageErrors.Guard(() => log.ReadRaw(fromOffset, max, maxBytes)));
        batch.EndOffset = log.NextOffset;
        batch.StartOffset = log.StartOffset;
        CountRead(batch.Count);
        return batch;
    }

    // Subscriptions count from their own pumps, hence the interlocked add.
    private void CountRead(int records) => Interlocked.Add(ref _recordsRead, records);

    public Task<RecordData?> FetchByIdAsync(string id)
        => Task.FromResult(StorageErrors.Guard(() => Log.ReadById(id)) is { } record ? RecordMapper.ToData(record) : null);

    public Task<long> OffsetForTimeAsync(DateTimeOffset time) => Task.FromResult(Log.OffsetForTime(time));

    public Task<List<RecordData>> SearchAsync(SearchRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Max < 1)
        {
            throw EffluxException.Invalid("max must be positive.");
        }

        var found = StorageErrors.Guard(() => Log.Search(new SearchQuery
        {
            DataType = request.DataType,
            MessageGroup = request.MessageGroup,
            ContentType = request.ContentType,
            Properties = request.Properties,
            From = request.From,
            To = request.To,
            Max = request.Max,
        }));
        return Task.FromResult(RecordMapper.ToData(found));
    }

    public async Task<VerifyResult> VerifyAsync(long? fromOffset, long? toOffset)
    {
        var log = Log;
        if (fromOffset is { } first && toOffset is { } last && first > last)
        {
            throw EffluxException.Invalid($"The range to verify starts at {first}, after its end {last}.");
        }

        foreach (var offset in new[] { fromOffset, toOffset })
        {
            if (offset is { } o)
            {
                RequireStored(log, o, log.NextOffset - 1);
            }
        }

        var bases = log.SegmentBaseOffsets;
        if (fromOffset is not null || toOffset is not null || bases.Count == 1)
        {
            var report = await Task.Run(() => StorageErrors.Guard(() => log.Verify(fromOffset, toOffset)));
            return RecordMapper.ToResult(_partition, report);
        }

        // The whole partition: every sealed segment by its grain, from the link the partition holds for it, and the
        // active segment here, all at once; the first failure in offset order is the answer.
        var pieces = new List<Task<VerifyResult>>(bases.Count);
        for (var i = 0; i < bases.Count - 1; i++)
        {
            var link = StorageErrors.Guard(() => log.LinkBefore(bases[i]));
            pieces.Add(Segment(bases[i]).VerifyAsync(link));
        }

        pieces.Add(Task.Run(() => RecordMapper.ToResult(_partition, StorageErrors.Guard(() => log.Verify(bases[^1], null)))));
        var results = await Task.WhenAll(pieces);
        long records = 0;
        var head = results[0];
        foreach (var r in results)
        {
            records += r.Records;
            if (!r.Ok)
            {
                head = r;
                break;
            }

            head = r.Records > 0 ? r : head;
        }

        return new VerifyResult
        {
            Partition = _partition,
            Ok = head.Ok,
            Records = records,
            FirstBadOffset = head.FirstBadOffset,
            Reason = head.Reason,
            FromOffset = results[0].FromOffset,
            NextOffset = head.Ok ? results[^1].NextOffset : head.NextOffset,
            HeadFingerprint = head.HeadFingerprint,
        };
    }

    public Task<string> HeadAsync() => Task.FromResult(Log.ExportCheckpoint(checkpointKey.Key).ToJson());

    public async Task<VerifyResult> VerifyCheckpointAsync(string checkpointJson)
    {
        SignedCheckpoint checkpoint;
        try
        {
            checkpoint = SignedCheckpoint.Parse(checkpointJson);
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or FormatException or KeyNotFoundException or InvalidOperationException or ArgumentException)
        {
            throw EffluxException.Invalid("The checkpoint is not a signed checkpoint document: " + ex.Message);
        }

        if (checkpoint.Namespace != _ns || checkpoint.Topic != _topic || checkpoint.Partition != _partition)
        {
            throw EffluxException.Invalid($"The checkpoint is of {checkpoint.Namespace}/{checkpoint.Topic}/{checkpoint.Partition}, not of {_ns}/{_topic}/{_partition}.");
        }

        var log = Log;
        var report = await Task.Run(() => StorageErrors.Guard(() => log.Verify(checkpoint: checkpoint)));
        return RecordMapper.ToResult(_partition, report);
    }

    public async Task DeleteAsync()
    {
        if (_deleted)
        {
            // Deleted already (a topic deletes its partitions twice); this activation is on its way out.
            DeactivateOnIdle();
            return;
        }

        var directory = Log.Directory;
        await CloseAsync();
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }

        _deleted = true;

        // The topic's directory goes with its last partition (partitions delete at once: another may get there first).
        var topicDirectory = Path.GetDirectoryName(directory)!;
        try
        {
            if (!Directory.EnumerateFileSystemEntries(topicDirectory).Any())
            {
                Directory.Delete(topicDirectory);
            }
        }
        catch (IOException ex)
        {
            // Gone already, or another partition of this silo is still there.
            LogTopicDirectoryKept(logger, topicDirectory, ex.Message);
        }

        DeactivateOnIdle();
    }

    public Task ReloadAsync()
    {
        DeactivateOnIdle();
        return Task.CompletedTask;
    }

    public Task SubscribeAsync(IPartitionSubscriber subscriber, string subscriptionId, long fromOffset)
    {
        ArgumentNullException.ThrowIfNull(subscriber);
        ArgumentException.ThrowIfNullOrEmpty(subscriptionId);
        var log = Log;
        if (_subscriptions.TryGetValue(subscriptionId, out var running) && !running.Pump.IsCompleted)
        {
            return Task.CompletedTask;
        }

        var from = fromOffset < 0 ? log.StartOffset : fromOffset;
        RequireStored(log, from, log.NextOffset);

        _subscriptions[subscriptionId] = new Subscription(log, _partition, subscriber, subscriptionId, from, CountRead, logger);
        return Task.CompletedTask;
    }

    public async Task UnsubscribeAsync(string subscriptionId)
    {
        if (_subscriptions.Remove(subscriptionId, out var subscription))
        {
            await subscription.DisposeAsync();
        }
    }

    /// <summary>A 416 unless <paramref name="offset"/> lies between the partition's start and <paramref name="last"/>.</summary>
    private void RequireStored(PartitionLog log, long offset, long last)
    {
        if (offset < log.StartOffset || offset > last)
        {
            throw new EffluxException(EffluxError.OffsetOutOfRange, $"Offset {offset} is outside partition {_partition}'s range [{log.StartOffset}, {last}] (its next offset is {log.NextOffset}).");
        }
    }

    /// <summary>The grain of this partition's sealed segment at <paramref name="baseOffset"/> (remembered, to close it with the partition).</summary>
    private ISegmentGrain Segment(long baseOffset)
    {
        _segmentGrains.Add(baseOffset);
        return GrainFactory.GetGrain<ISegmentGrain>(GrainKeys.Segment(_ns, _topic, _partition, baseOffset));
    }

    /// <summary>Deletes expired segments, and closes the grains of deleted ones (their open files would hold the space).</summary>
    private async Task ApplyRetentionAsync()
    {
        if (Log.ApplyRetention() > 0)
        {
            var start = Log.StartOffset;
            await CloseSegmentsAsync(baseOffset => baseOffset < start);
        }
    }

    /// <summary>
    /// Closes segment grains this partition used: their files may be about to go (topic deleted, retention) or change
    /// meaning (topic recreated).
    /// </summary>
    private async Task CloseSegmentsAsync(Func<long, bool> which)
    {
        foreach (var baseOffset in _segmentGrains.Where(which).ToList())
        {
            _segmentGrains.Remove(baseOffset);
            try
            {
                await GrainFactory.GetGrain<ISegmentGrain>(GrainKeys.Segment(_ns, _topic, _partition, baseOffset)).CloseAsync();
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // A segment grain that cannot be reached (the silo is stopping) closes with its silo.
                LogSegmentCloseFailed(logger, _ns, _topic, _partition, baseOffset, ex.Message);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Partition {Namespace}/{Topic}/{Partition} opened: offsets {Start} to {Next}")]
    private static partial void LogOpened(ILogger logger, string @namespace, string topic, int partition, long start, long next);

    [LoggerMessage(Level = LogLevel.Information, Message = "Partition {Namespace}/{Topic}/{Partition} closing ({Reason})")]
    private static partial void LogClosing(ILogger logger, string @namespace, string topic, int partition, DeactivationReasonCode reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Partition {Namespace}/{Topic}/{Partition} failed its checks and is not opened")]
    private static partial void LogCorrupt(ILogger logger, string @namespace, string topic, int partition, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Partition {Namespace}/{Topic}/{Partition} is read-only after a storage failure; appends are refused until it reopens")]
    private static partial void LogReadOnly(ILogger logger, string @namespace, string topic, int partition);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Partition {Namespace}/{Topic}/{Partition} tries to reopen in {Delay}")]
    private static partial void LogReopenScheduled(ILogger logger, string @namespace, string topic, int partition, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Partition {Namespace}/{Topic}/{Partition} did not reopen: {Reason}")]
    private static partial void LogReopenFailed(ILogger logger, string @namespace, string topic, int partition, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Partition {Namespace}/{Topic}/{Partition} reopened at offset {Next} and takes appends again")]
    private static partial void LogReopened(ILogger logger, string @namespace, string topic, int partition, long next);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Write probe in {Directory} failed: {Reason}")]
    private static partial void LogProbeFailed(ILogger logger, string directory, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Topic directory {Directory} not removed: {Reason}")]
    private static partial void LogTopicDirectoryKept(ILogger logger, string directory, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Segment {BaseOffset} of {Namespace}/{Topic}/{Partition} could not be told to close: {Reason}")]
    private static partial void LogSegmentCloseFailed(ILogger logger, string @namespace, string topic, int partition, long baseOffset, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Subscription {Subscription} of partition {Partition} ended at offset {Next}")]
    private static partial void LogSubscriptionFailed(ILogger logger, string subscription, int partition, long next, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Subscriber of {Subscription} could not be told its subscription ended: {Reason}")]
    private static partial void LogSubscriberNotTold(ILogger logger, string subscription, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Partition {Namespace}/{Topic}/{Partition} appended {Count} messages from offset {First}")]
    private static partial void LogAppended(ILogger logger, string @namespace, string topic, int partition, int count, long first);

    /// <summary>
    /// One subscriber's pump, outside the grain's turns: waits for records, reads a batch from the log, and pushes it,
    /// one batch in flight. Memory per subscription is one batch, however far behind the subscriber is.
    /// </summary>
    private sealed class Subscription : IAsyncDisposable
    {
        private const int MaxRecords = 1000;
        private const long MaxBytes = 1 << 20;
        private readonly CancellationTokenSource _stop = new();

        public Subscription(PartitionLog log, int partition, IPartitionSubscriber subscriber, string id, long from, Action<int> delivered, ILogger logger)
        {
            Pump = Task.Run(() => RunAsync(log, partition, subscriber, id, from, delivered, logger));
        }

        public Task Pump { get; }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await Pump;
            _stop.Dispose();
        }

        private async Task RunAsync(PartitionLog log, int partition, IPartitionSubscriber subscriber, string id, long next, Action<int> delivered, ILogger logger)
        {
            string reason;
            try
            {
                while (true)
                {
                    await log.WaitForAsync(next, _stop.Token);
                    var batch = RecordMapper.ToBatch(partition, log.ReadRaw(next, MaxRecords, MaxBytes));
                    batch.EndOffset = log.NextOffset;
                    batch.StartOffset = log.StartOffset;
                    await subscriber.OnBatchAsync(id, batch).WaitAsync(_stop.Token);
                    delivered(batch.Count);
                    next = batch.NextOffset;
                }
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                reason = "unsubscribed or the partition closed";
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // The subscriber is gone or the log failed: the subscription ends; the subscriber resubscribes from its offset.
                reason = ex.Message;
                LogSubscriptionFailed(logger, id, partition, next, ex);
            }

            try
            {
                await subscriber.OnEndedAsync(id, reason).WaitAsync(TimeSpan.FromSeconds(5));
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // Unreachable subscribers are not told.
                LogSubscriberNotTold(logger, id, ex.Message);
            }
        }
    }
}
