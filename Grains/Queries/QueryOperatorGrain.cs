using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Efflux.Grains.Streams;
using Efflux.Processing.Parsing;
using Efflux.Processing.Engine;
using Microsoft.Extensions.Logging;
using Orleans.Streams;

namespace Efflux.Grains.Queries;

/// <summary>
/// One key shard of a live query. It subscribes to every source partition through the Efflux stream provider and
/// merges them by event time: the next event taken is the one with the smallest (time, source) among the sources'
/// heads, once every other source that is not idle has moved past that time (so the result does not depend on the
/// order in which partitions arrive). Taken events go through the EffluxQL engine; rows go to the output topics,
/// numbered, with their provenance. Engine state, input positions and output positions are checkpointed together; a
/// restarted operator reads again from its checkpoint and skips the rows its output already holds.
/// </summary>
[GrainType("efflux.query-operator")]
internal sealed partial class QueryOperatorGrain(
    [PersistentState("operator", EffluxStorage.Name)] IPersistentState<OperatorState> state,
    TimeProvider time,
    ILogger<QueryOperatorGrain> logger) : Grain, IQueryOperatorGrain
{
    private static readonly TimeSpan CheckpointInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan TickInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>The most events held for the merge before deliveries are pushed back.</summary>
    private const int MaxWaiting = 200_000;

    private readonly List<ProduceMessage> _rows = [];
    private readonly List<string> _rowOutputs = [];
    private readonly HashSet<string> _unsynced = [];
    private QueryPlan _plan = null!;
    private QueryEngine? _engine;
    private Queue<Taken>[] _queues = [];
    private long[] _received = [];
    private long[] _seen = [];
    private long[] _arrived = [];
    private long[] _gapAt = [];
    private bool[] _caughtUp = [];
    private bool _timeFromAttribute;
    private long _skipRowsUpTo = -1;
    private bool _recovered;
    private long _checkpointedAt;
    private IGrainTimer? _timer;
    private Taken? _trigger;

    private OperatorState S => state.State;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (S.Plan is { } plan && S.Running && !S.Failed)
        {
            Load(plan);
            await SubscribeAsync();
            LogResumed(logger, plan.Query, plan.Shard, S.Positions);
        }
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (S.Running && _engine is not null && _rows.Count == 0)
        {
            await CheckpointAsync();
        }
    }

    public async Task StartAsync(QueryPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        if (S.Plan?.Generation != plan.Generation)
        {
            state.State = new OperatorState
            {
                Plan = plan,
                Positions = [.. plan.Sources.Select(s => s.Start)],
                Watermarks = [.. plan.Sources.Select(_ => long.MinValue)],
                Unattributed = [.. plan.Sources.Select(_ => -1L)],
                OutputEnds = await OutputEndsAsync(plan),
            };
        }

        S.Running = true;
        S.Failed = false;
        S.LastError = null;
        Load(plan);
        await state.WriteStateAsync();
        await SubscribeAsync();
        LogStarted(logger, plan.Query, plan.Shard, plan.Sources.Count);
    }

    public async Task StopAsync()
    {
        if (!S.Running)
        {
            return;
        }

        await UnsubscribeAsync();
        if (!await FlushAsync())
        {
            throw EffluxException.Unavailable($"Query {_plan.Query} shard {_plan.Shard} cannot write its rows, so it cannot stop cleanly: {S.LastError}");
        }

        S.Running = false;
        await CheckpointAsync();
        LogStopped(logger, _plan.Query, _plan.Shard);
    }

    public async Task DeleteAsync()
    {
        if (S.Plan is not null)
        {
            if (_engine is null)
            {
                Load(S.Plan);
            }

            await UnsubscribeAsync();
        }

        _rows.Clear();
        _rowOutputs.Clear();
        await state.ClearStateAsync();
        DeactivateOnIdle();
    }

    public Task<OperatorStatus> StatusAsync() => Task.FromResult(new OperatorStatus
    {
        Running = S.Running,
        Failed = S.Failed,
        LastError = S.LastError,
        Positions = [.. S.Positions],
        EventsIn = S.EventsIn,
        RowsOut = S.RowsOut,
        Late = _engine?.Late ?? 0,
        Unreadable = S.Unreadable,
        Watermark = S.Watermarks.Count > 0 && _seen.Length > 0 && _seen.All(w => w != long.MinValue) ? _seen.Min() : null,
    });

    /// <summary>Builds the engine and the in-memory merge from the checkpoint.</summary>
    private void Load(QueryPlan plan)
    {
        _plan = plan;
        var statements = Analyzer.ParseAndCheck(plan.Text, plan.Name);
        _engine = new QueryEngine(statements);
        _timeFromAttribute = statements.Any(s => s.From.Window?.Kind == Processing.Syntax.WindowKind.ExternalTime);
        if (S.Engine is { } snapshot)
        {
            _engine.Restore(snapshot);
        }

        var n = plan.Sources.Count;
        _queues = [.. Enumerable.Range(0, n).Select(_ => new Queue<Taken>())];
        _received = [.. S.Positions];
        _seen = [.. S.Watermarks];
        _gapAt = [.. Enumerable.Repeat(-1L, n)];
        _caughtUp = new bool[n];
        var now = time.GetTimestamp();
        _arrived = [.. Enumerable.Repeat(now, n)];
        _recovered = false;
        _checkpointedAt = now;
        _timer ??= this.RegisterGrainTimer(TickAsync, new GrainTimerCreationOptions(TickInterval, TickInterval) { Interleave = false });
    }

    private IAsyncStream<EffluxMessage> StreamOf(int source)
    {
        var s = _plan.Sources[source];
        return this.GetStreamProvider(EffluxStreams.ProviderName).GetStream<EffluxMessage>(EffluxStreams.Of(_plan.Namespace, s.Topic, s.Partition));
    }

    /// <summary>Subscribes to (or resumes) each source at the offset after what the engine has taken.</summary>
    private async Task SubscribeAsync()
    {
        for (var i = 0; i < _plan.Sources.Count; i++)
        {
            await SubscribeAsync(i, _received[i]);
        }
    }

    private async Task SubscribeAsync(int source, long from)
    {
        var stream = StreamOf(source);
        // One record early: a token given to a running subscription is taken as the last record delivered, so the
        // next one comes first; a new subscription starts at the token and the operator skips what it has taken.
        var token = new EffluxSequenceToken(_plan.Sources[source].Partition, Math.Max(0, from - 1));
        var observer = new SourceObserver(this, source);
        var existing = await stream.GetAllSubscriptionHandles();
        foreach (var extra in existing.Skip(1))
        {
            await extra.UnsubscribeAsync();
        }

        if (existing.Count > 0)
        {
            await existing[0].ResumeAsync(observer, token);
        }
        else
        {
            await stream.SubscribeAsync(observer, token);
        }
    }

    private async Task UnsubscribeAsync()
    {
        for (var i = 0; i < _plan.Sources.Count; i++)
        {
            foreach (var handle in await StreamOf(i).GetAllSubscriptionHandles())
            {
                await handle.UnsubscribeAsync();
            }
        }
    }

    /// <summary>Takes a delivered run of one source's records.</summary>
    private async Task OnRecordsAsync(int source, IList<SequentialItem<EffluxMessage>> items)
    {
        if (!S.Running || S.Failed)
        {
            return;
        }

        LogDelivered(logger, _plan.Query, _plan.Shard, source, items.Count, items.Count > 0 ? items[0].Item.Offset : -1, _received[source]);
        var before = _received[source];
        foreach (var item in items)
        {
            var message = item.Item;
            if (message.Offset < _received[source])
            {
                continue;
            }

            if (message.Offset > _received[source] && _gapAt[source] != _received[source])
            {
                // Records are missing (a delivery was given up): read again from the first one missing. If the same
                // gap comes back, the records are gone from the log (retention) and the query goes on after them.
                _gapAt[source] = _received[source];
                LogGap(logger, _plan.Query, _plan.Shard, Describe(source), _received[source], message.Offset);
                Arrived(source, before);
                await SubscribeAsync(source, _received[source]);
                return;
            }

            Enqueue(source, message);
        }

        Arrived(source, before);
        await AdvanceAsync();
        if (_queues.Sum(q => q.Count) > MaxWaiting)
        {
            // The output cannot be written (or a source lags far behind): push back on the stream, which delivers
            // this batch again later (the operator skips what it has already taken).
            throw EffluxException.Unavailable($"Query {_plan.Query} shard {_plan.Shard} holds {MaxWaiting} events waiting; {S.LastError}");
        }
    }

    /// <summary>
    /// Writes rows kept from before; once they are written, takes what the watermark allows, writes its rows and
    /// checkpoints when due. While rows cannot be written, nothing more is taken.
    /// </summary>
    private async Task AdvanceAsync()
    {
        if (!await TryRecoverAsync() || !await FlushAsync())
        {
            return;
        }

        await CheckQuietSourcesAsync();
        Release();
        if (await FlushAsync())
        {
            await MaybeCheckpointAsync();
        }
    }

    /// <summary>Notes the time of a delivery that brought records not taken before (<paramref name="before"/> was the next expected).</summary>
    private void Arrived(int source, long before)
    {
        if (_received[source] > before)
        {
            _arrived[source] = time.GetTimestamp();
        }
    }

    private void Enqueue(int source, EffluxMessage message)
    {
        _received[source] = message.Offset + 1;
        _caughtUp[source] = false;
        Event e;
        try
        {
            e = ToEvent(source, message);
        }
        catch (Exception ex) when (ex is FormatException or InvalidDataException)
        {
            S.Unreadable++;
            S.LastError = $"{Describe(source)} offset {message.Offset}: {ex.Message}";
            return;
        }

        _seen[source] = Math.Max(_seen[source], e.Time);
        _queues[source].Enqueue(new Taken(source, message, e));
    }

    /// <summary>
    /// The event of a record: all of it when this shard owns the record's key (or the query is not sharded); else only
    /// its time, unless a statement reads its time from an attribute (EXTERNALTIME).
    /// </summary>
    private Event ToEvent(int source, EffluxMessage message)
    {
        var topic = _plan.Sources[source].Topic;
        if (_plan.Shards == 1 || QueryEvents.ShardOf(message, _plan.ShardKeys, _plan.Shards) == _plan.Shard)
        {
            return QueryEvents.From(message, topic, 0);
        }

        return _timeFromAttribute ? QueryEvents.From(message, topic, 0, counts: false) : QueryEvents.TimeOnly(message, topic);
    }

    /// <summary>Takes events into the engine in (time, source) order while the watermark allows.</summary>
    private void Release()
    {
        var sink = new RowSink(this);
        while (NextReady() is { } source)
        {
            var taken = _queues[source].Dequeue();
            _trigger = taken;
            if (S.Unattributed[source] < 0)
            {
                S.Unattributed[source] = taken.Record.Offset;
            }

            var e = taken.Event;
            _engine!.Push(e.Relabel(S.Sequence, e.Stream, e.Counts), sink);
            S.Positions[source] = taken.Record.Offset + 1;
            S.Watermarks[source] = Math.Max(S.Watermarks[source], taken.Event.Time);
            S.Sequence++;
            if (taken.Event.Counts)
            {
                S.EventsIn++;
            }
        }

        _trigger = null;
    }

    /// <summary>The source whose head goes next, or null while a source that is not idle may still bring an earlier event.</summary>
    private int? NextReady()
    {
        var best = -1;
        for (var i = 0; i < _queues.Length; i++)
        {
            if (_queues[i].Count > 0 && (best < 0 || _queues[i].Peek().Event.Time < _queues[best].Peek().Event.Time))
            {
                best = i;
            }
        }

        if (best < 0)
        {
            return null;
        }

        var head = _queues[best].Peek().Event.Time;
        for (var i = 0; i < _queues.Length; i++)
        {
            if (i == best || _queues[i].Count > 0 || IsIdle(i))
            {
                continue;
            }

            // Source i's next event comes at or after its greatest time so far; on a tie the lower source goes first.
            if (_seen[i] < head || (_seen[i] == head && i < best))
            {
                return null;
            }
        }

        return best;
    }

    /// <summary>
    /// A source is idle when nothing arrived from it for the idle timeout and it has nothing more to deliver: the
    /// operator has read up to the partition's end. A partition whose silo is down is not idle: the query waits for
    /// it, so that its records are not dropped as late when it returns.
    /// </summary>
    private bool IsIdle(int source) => _caughtUp[source] && time.GetElapsedTime(_arrived[source]) >= _plan.IdleTimeout;

    /// <summary>Looks up the end of each quiet source, so that <see cref="IsIdle"/> can tell a quiet partition from a late delivery.</summary>
    private async Task CheckQuietSourcesAsync()
    {
        for (var i = 0; i < _queues.Length; i++)
        {
            if (_caughtUp[i] || _queues[i].Count > 0 || time.GetElapsedTime(_arrived[i]) < _plan.IdleTimeout)
            {
                continue;
            }

            var s = _plan.Sources[i];
            try
            {
                var end = (await GrainFactory.GetGrain<IPartitionGrain>(GrainKeys.Partition(_plan.Namespace, s.Topic, s.Partition)).DescribeAsync()).NextOffset;
                _caughtUp[i] = _received[i] >= end;
            }
            catch (Exception ex) when (EffluxException.From(ex) is { Error: EffluxError.Unavailable })
            {
                _caughtUp[i] = false;
            }
        }
    }

    /// <summary>A row the engine emitted: numbered, attributed to the source whose event emitted it, and kept to write.</summary>
    private void OnRow(in RowView row)
    {
        S.RowsOut++;
        var trigger = _trigger ?? throw new InvalidOperationException("A row was emitted outside an event.");
        var source = _plan.Sources[trigger.Source];
        var from = S.Unattributed[trigger.Source] >= 0 ? S.Unattributed[trigger.Source] : trigger.Record.Offset;
        S.Unattributed[trigger.Source] = -1;
        if (S.RowsOut <= _skipRowsUpTo)
        {
            return;
        }

        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, OutputRow.JsonOptions))
        {
            row.WriteJson(writer);
        }

        _rows.Add(new ProduceMessage
        {
            Payload = buffer.WrittenSpan.ToArray(),
            ContentType = "application/json",
            DataType = row.Output,
            Timestamp = DateTimeOffset.FromUnixTimeMilliseconds(row.Time),
            Properties = new Dictionary<string, string>
            {
                [Provenance.Query] = _plan.Query,
                [Provenance.Topic] = source.Topic,
                [Provenance.Partition] = source.Partition.ToString(CultureInfo.InvariantCulture),
                [Provenance.FromOffset] = from.ToString(CultureInfo.InvariantCulture),
                [Provenance.ToOffset] = trigger.Record.Offset.ToString(CultureInfo.InvariantCulture),
                [Provenance.Fingerprint] = Convert.ToHexStringLower(trigger.Record.Fingerprint.Span),
                [Provenance.Generation] = _plan.Generation,
                [Provenance.Shard] = _plan.Shard.ToString(CultureInfo.InvariantCulture),
                [Provenance.Row] = S.RowsOut.ToString(CultureInfo.InvariantCulture),
            },
        });
        _rowOutputs.Add(row.Output);
    }

    /// <summary>
    /// Writes the rows kept so far, each output's rows in one append, acknowledged once written (the checkpoint makes
    /// them durable first); false (rows kept) when it cannot.
    /// </summary>
    private async Task<bool> FlushAsync()
    {
        if (_rows.Count == 0)
        {
            return true;
        }

        if (!await TryRecoverAsync())
        {
            return false;
        }

        // Until every append has answered, one may have landed without its answer arriving (its output's silo dying
        // after the write): if any fails, in any way, the outputs are looked at again before the kept rows are.
        var answered = false;
        try
        {
            foreach (var output in _rowOutputs.Distinct().ToList())
            {
                var rows = _rows.Where((_, i) => _rowOutputs[i] == output).ToList();
                var results = await (await OutputAsync(output)).AppendAsync(rows, new ProduceOptions { Acks = Acks.Leader });
                _unsynced.Add(output);
                S.OutputEnds[output] = results[^1].Offset + 1;
                for (var i = _rows.Count - 1; i >= 0; i--)
                {
                    if (_rowOutputs[i] == output)
                    {
                        _rows.RemoveAt(i);
                        _rowOutputs.RemoveAt(i);
                    }
                }
            }

            answered = true;
        }
        catch (EffluxException ex) when (ex.Error == EffluxError.TopicNotFound)
        {
            OutputGone(ex);
            return false;
        }
        catch (Exception ex) when (EffluxException.From(ex) is { } error)
        {
            S.LastError = "writing rows: " + error.Message;
            LogWriteFailed(logger, ex, _plan.Query, _plan.Shard);
            return false;
        }
        finally
        {
            _recovered &= answered;
        }

        return true;
    }

    private readonly Dictionary<string, int> _outputPartitions = [];

    /// <summary>The output partition this shard writes: its shard number modulo the output's partitions.</summary>
    private async Task<IPartitionGrain> OutputAsync(string output)
    {
        if (!_outputPartitions.TryGetValue(output, out var partition))
        {
            var partitions = (await GrainFactory.GetGrain<ITopicGrain>(GrainKeys.Topic(_plan.Namespace, output)).GetConfigAsync()).Partitions;
            _outputPartitions[output] = partition = _plan.Shard % partitions;
        }

        return GrainFactory.GetGrain<IPartitionGrain>(GrainKeys.Partition(_plan.Namespace, output, partition));
    }

    private async Task<Dictionary<string, long>> OutputEndsAsync(QueryPlan plan)
    {
        _plan = plan;
        var ends = new Dictionary<string, long>();
        foreach (var output in plan.Outputs)
        {
            ends[output] = (await (await OutputAsync(output)).DescribeAsync()).NextOffset;
        }

        return ends;
    }

    /// <summary>
    /// Once per activation, before any row, and again after a write of rows failed: finds the highest row number this
    /// shard's outputs hold past the last write known to have landed (rows written after the checkpoint, before a
    /// crash; or rows of a failed write that landed anyway, its output's silo dying before it answered), so that those
    /// rows are not written again: not when the input is read again, and not from the rows kept to write again.
    /// </summary>
    private async Task<bool> TryRecoverAsync()
    {
        try
        {
            await RecoverAsync();
            return true;
        }
        catch (EffluxException ex) when (ex.Error == EffluxError.TopicNotFound)
        {
            OutputGone(ex);
            return false;
        }
        catch (Exception ex) when (EffluxException.From(ex) is { } error)
        {
            // An output cannot be read yet (its silo is down): take and write nothing until the rows it holds are known.
            S.LastError = "recovering: " + error.Message;
            return false;
        }
    }

    /// <summary>
    /// An output topic was deleted: the rows have nowhere to go until the query is deleted, or the topic is created again
    /// and the query started again.
    /// </summary>
    private void OutputGone(EffluxException ex)
    {
        S.Failed = true;
        S.LastError = "writing rows: " + ex.Message;
        LogFailed(logger, ex, _plan.Query, _plan.Shard);
    }

    private async Task RecoverAsync()
    {
        if (_recovered)
        {
            return;
        }

        var highest = -1L;
        foreach (var (output, from) in S.OutputEnds)
        {
            var partition = await OutputAsync(output);
            for (var at = from; ;)
            {
                var batch = await partition.FetchBatchAsync(at, 4096, 16 << 20, TimeSpan.Zero, CancellationToken.None);
                foreach (var message in batch.Messages())
                {
                    var p = message.Properties;
                    if (p.GetValueOrDefault(Provenance.Generation) == _plan.Generation
                        && p.GetValueOrDefault(Provenance.Shard) == _plan.Shard.ToString(CultureInfo.InvariantCulture)
                        && long.TryParse(p.GetValueOrDefault(Provenance.Row), NumberStyles.None, CultureInfo.InvariantCulture, out var row))
                    {
                        // A row found here will not be written again, and it may not be durable yet (written with
                        // leader acks before a crash of this operator): the next checkpoint has its output synced.
                        highest = Math.Max(highest, row);
                        _unsynced.Add(output);
                    }
                }

                if (batch.NextOffset >= batch.EndOffset || batch.Count == 0)
                {
                    break;
                }

                at = batch.NextOffset;
            }
        }

        for (var i = _rows.Count - 1; i >= 0; i--)
        {
            if (long.Parse(_rows[i].Properties![Provenance.Row], NumberStyles.None, CultureInfo.InvariantCulture) <= highest)
            {
                _rows.RemoveAt(i);
                _rowOutputs.RemoveAt(i);
            }
        }

        _skipRowsUpTo = Math.Max(highest, S.RowsOut);
        _recovered = true;
        if (highest > S.RowsOut)
        {
            LogSkipping(logger, _plan.Query, _plan.Shard, highest - S.RowsOut);
        }
    }

    private async Task TickAsync(CancellationToken cancellationToken)
    {
        if (!S.Running || S.Failed || _engine is null)
        {
            return;
        }

        try
        {
            await AdvanceAsync();
        }
        catch (Exception ex) when (EffluxException.From(ex) is { } error)
        {
            // A source's end could not be looked up: the next tick tries again.
            S.LastError = error.Message;
        }
    }

    private async Task MaybeCheckpointAsync()
    {
        if (time.GetElapsedTime(_checkpointedAt) < CheckpointInterval || _rows.Count > 0)
        {
            return;
        }

        try
        {
            await CheckpointAsync();
        }
        catch (Exception ex) when (EffluxException.From(ex) is { } error)
        {
            // An output cannot make its rows durable now (its silo is down): the rows are written; the checkpoint
            // waits for a later turn, and until then a restart reads again from the one before.
            S.LastError = "checkpointing: " + error.Message;
        }
    }

    /// <summary>
    /// Saves engine state, positions and output ends together (only with every kept row written), once the rows written
    /// since the last checkpoint are durable: a checkpoint must not count rows that a machine crash could still take
    /// from an output, or they would be neither in the output nor written again.
    /// </summary>
    private async Task CheckpointAsync()
    {
        foreach (var output in _unsynced.ToList())
        {
            await (await OutputAsync(output)).FlushAsync();
            _unsynced.Remove(output);
        }

        S.Engine = _engine!.Snapshot();
        await state.WriteStateAsync();
        _checkpointedAt = time.GetTimestamp();
    }

    private string Describe(int source) => _plan.Sources[source].Topic + "/" + _plan.Sources[source].Partition.ToString(CultureInfo.InvariantCulture);

    [LoggerMessage(Level = LogLevel.Information, Message = "Query {Query} shard {Shard} started over {Sources} source partitions")]
    private static partial void LogStarted(ILogger logger, string query, int shard, int sources);

    [LoggerMessage(Level = LogLevel.Information, Message = "Query {Query} shard {Shard} resumed at positions {Positions}")]
    private static partial void LogResumed(ILogger logger, string query, int shard, List<long> positions);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Query {Query} shard {Shard}: source {Source} delivered {Count} records from offset {First}; next expected {Expected}")]
    private static partial void LogDelivered(ILogger logger, string query, int shard, int source, int count, long first, long expected);

    [LoggerMessage(Level = LogLevel.Information, Message = "Query {Query} shard {Shard} stopped")]
    private static partial void LogStopped(ILogger logger, string query, int shard);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Query {Query} shard {Shard}: {Source} expected offset {Expected} but got {Got}; reading again")]
    private static partial void LogGap(ILogger logger, string query, int shard, string source, long expected, long got);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Query {Query} shard {Shard} could not write rows; they are kept and written again")]
    private static partial void LogWriteFailed(ILogger logger, Exception exception, string query, int shard);

    [LoggerMessage(Level = LogLevel.Error, Message = "Query {Query} shard {Shard} failed: an output topic is gone; it reads nothing more until started again")]
    private static partial void LogFailed(ILogger logger, Exception exception, string query, int shard);

    [LoggerMessage(Level = LogLevel.Information, Message = "Query {Query} shard {Shard} resumes behind rows it wrote: the next {Rows} rows are in its output already")]
    private static partial void LogSkipping(ILogger logger, string query, int shard, long rows);

    /// <summary>An event read from a source, waiting for the merge, with its record (offset and fingerprint for provenance).</summary>
    private sealed record Taken(int Source, EffluxMessage Record, Event Event);

    private sealed class RowSink(QueryOperatorGrain grain) : IRowSink
    {
        public void OnRow(in RowView row) => grain.OnRow(row);
    }

    /// <summary>Receives one source's records.</summary>
    private sealed class SourceObserver(QueryOperatorGrain grain, int source) : IAsyncBatchObserver<EffluxMessage>
    {
        public Task OnNextAsync(IList<SequentialItem<EffluxMessage>> items) => grain.OnRecordsAsync(source, items);

        public Task OnCompletedAsync() => Task.CompletedTask;

        public Task OnErrorAsync(Exception ex)
        {
            grain.S.LastError = ex.Message;
            return Task.CompletedTask;
        }
    }
}
