using System.Runtime.CompilerServices;
using Efflux.Grains;

namespace Efflux.Client;

/// <summary>Produce to and read from one topic.</summary>
public sealed class TopicClient
{
    private readonly EffluxClient _client;
    private readonly MessageRouter _router = new();
    private Task<TopicConfig>? _config;

    internal TopicClient(EffluxClient client, string ns, string topic)
    {
        _client = client;
        Namespace = ns;
        Name = topic;
    }

    /// <summary>Most records one read call fetches.</summary>
    public const int ReadBatchRecords = 8192;

    /// <summary>About the most bytes one read call fetches.</summary>
    public const long ReadBatchBytes = 1 << 20;

    /// <summary>The namespace.</summary>
    public string Namespace { get; }

    /// <summary>The topic name.</summary>
    public string Name { get; }

    /// <summary>Appends one message; acknowledged as <paramref name="options"/> says (durable by default).</summary>
    /// <remarks>
    /// Appends made while earlier ones of this client to the topic are unanswered are carried together: while
    /// <see cref="EffluxClientOptions.AppendCallsInFlight"/> calls (with the same acks and partition choice) are
    /// unanswered, further appends wait, and each answer sends all that waited in one call. Each append still gets its
    /// own result, and a partition takes them in the order they were made. Appends with
    /// <see cref="ProduceOptions.ExpectedOffset"/> always go alone.
    /// </remarks>
    public async Task<ProduceResult> AppendAsync(ProduceMessage message, ProduceOptions? options = null, int? partition = null)
    {
        ArgumentNullException.ThrowIfNull(message);
        options ??= new ProduceOptions();
        return options.ExpectedOffset is null && options.Sequence is null
            ? await _client.Lane(Namespace, Name, options.Acks, partition).AppendAsync(message).ConfigureAwait(false)
            : (await AppendBatchAsync([message], options, partition).ConfigureAwait(false))[0];
    }

    /// <summary>
    /// Appends messages: each to its message group's partition (else round-robin), or all to <paramref name="partition"/>;
    /// one group commit per partition. Results come in the input order.
    /// </summary>
    public async Task<IReadOnlyList<ProduceResult>> AppendBatchAsync(IReadOnlyList<ProduceMessage> messages, ProduceOptions? options = null, int? partition = null)
    {
        ArgumentNullException.ThrowIfNull(messages);
        options ??= new ProduceOptions();
        for (var attempt = 0; ; attempt++)
        {
            var config = ConfigAsync();
            try
            {
                return await Append(await config.ConfigureAwait(false), messages, _ => options, partition).ConfigureAwait(false);
            }
            catch (EffluxException missing) when (missing.Error == EffluxError.TopicNotFound && attempt == 0)
            {
                // The topic was deleted since this handle read its configuration (a partition refuses to open for a
                // missing topic, so nothing was appended): read it again, which recreates the topic when allowed.
                ForgetConfig(config);
            }
        }
    }

    /// <summary>
    /// Routes and appends <paramref name="messages"/> with the topic's <paramref name="config"/>, each partition's part
    /// with <paramref name="optionsFor"/> that partition. The calls to the partitions are made before it
    /// returns (so a <see cref="Producer"/> numbers its batches to each partition in the order it sends them).
    /// </summary>
    internal Task<List<ProduceResult>> Append(TopicConfig config, IReadOnlyList<ProduceMessage> messages, Func<int, ProduceOptions> optionsFor, int? partition)
    {
        if (partition is { } p && (p < 0 || p >= config.Partitions))
        {
            throw EffluxException.NoPartition(Namespace, Name, config.Partitions, p);
        }

        return _router.AppendAsync(messages, config.Partitions, partition, (target, batch) =>
        {
            _client.CheckSize(batch);
            return Calls.Run(_client.Partition(Namespace, Name, target).AppendAsync(batch, optionsFor(target)));
        });
    }

    /// <summary>A buffered producer: messages are gathered for up to the linger time or a full batch, and each append returns its own acknowledgement.</summary>
    public Producer CreateProducer(ProducerOptions? options = null) => new(this, options ?? new ProducerOptions());

    /// <summary>
    /// The messages of a partition from <paramref name="fromOffset"/> (negative: the oldest stored); with
    /// <paramref name="follow"/> it then waits for new ones until cancelled. With <paramref name="verifyChain"/> every
    /// record's fingerprint, payload hash and link to the one before is checked here, on the client.
    /// </summary>
    /// <remarks>
    /// Batches are fetched ahead while the caller handles the current one: behind the tail, up to
    /// <see cref="ReadAheadBatches"/> at once, each asking for as many records as fill a batch at the last batch's
    /// average record size.
    /// </remarks>
    /// <exception cref="EffluxException"><see cref="EffluxError.Corrupt"/> when a record fails the chain check.</exception>
    public async IAsyncEnumerable<EffluxMessage> ReadAsync(int partition, long fromOffset = -1, bool follow = false, bool verifyChain = false, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var grain = _client.Partition(Namespace, Name, partition);
        byte[]? previous = null;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var ahead = new ReadAhead(grain, follow ? TimeSpan.FromSeconds(10) : TimeSpan.Zero, stop.Token);
        ahead.Fetch(fromOffset, ReadBatchRecords, ReadBatchBytes);
        try
        {
            while (true)
            {
                var batch = await ahead.NextAsync().ConfigureAwait(false);
                var more = follow || (batch.Count > 0 && batch.NextOffset < batch.EndOffset);
                if (more)
                {
                    ahead.Refill(batch);
                }

                foreach (var message in batch.Messages())
                {
                    if (verifyChain)
                    {
                        previous ??= await LinkBeforeAsync(grain, partition, message.Offset, message).ConfigureAwait(false);
                        if (message.Check(previous) is { } problem)
                        {
                            throw new EffluxException(EffluxError.Corrupt, $"Chain check failed in {Namespace}/{Name}/{partition}: {problem}.");
                        }

                        previous = message.Fingerprint.ToArray();
                    }

                    yield return message;
                }

                if (!more)
                {
                    yield break;
                }
            }
        }
        finally
        {
            // A reader that stops early abandons the fetches ahead (and their waits, when following).
            await stop.CancelAsync().ConfigureAwait(false);
            await ahead.DiscardAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Most batches one reader has in flight while it is behind the tail.</summary>
    public const int ReadAheadBatches = 3;

    /// <summary>
    /// The fetches a reader has in flight, in offset order. Behind the tail the next offsets are guessed: each fetch asks
    /// for a fixed number of records (with room in bytes); where a batch ends short (records grew, or a segment ended)
    /// the guesses after it are thrown away and fetched again from the right offset, so nothing is skipped or repeated.
    /// </summary>
    private sealed class ReadAhead(IPartitionGrain grain, TimeSpan wait, CancellationToken stop)
    {
        private readonly Queue<(long From, int Max, Task<RecordBatch> Batch)> _fetches = new();
        private int _stride;

        public void Fetch(long from, int max, long maxBytes)
            => _fetches.Enqueue((from, max, Calls.Run(grain.FetchBatchAsync(from, max, maxBytes, wait, stop))));

        public async Task<RecordBatch> NextAsync()
        {
            var batch = await _fetches.Dequeue().Batch.ConfigureAwait(false);
            if (_fetches.TryPeek(out var following) && following.From != batch.NextOffset)
            {
                await DiscardAsync().ConfigureAwait(false);
            }

            return batch;
        }

        /// <summary>Keeps fetches going after <paramref name="batch"/>: one at least, more while the partition holds more.</summary>
        public void Refill(RecordBatch batch)
        {
            // Records per fetch: as many as fill a batch at the last batch's average size (batches also end early, at
            // segment ends, so their counts say little).
            if (batch.Count > 0)
            {
                _stride = (int)Math.Clamp(ReadBatchBytes * batch.Count / Math.Max(1, batch.Pieces.Sum(p => (long)p.Length)), 1, ReadBatchRecords);
            }

            var behind = batch.Count > 0 && batch.NextOffset < batch.EndOffset;
            var next = _fetches.Count > 0 ? _fetches.Last().From + _fetches.Last().Max : batch.NextOffset;
            if (_fetches.Count == 0)
            {
                if (!behind)
                {
                    Fetch(next, ReadBatchRecords, ReadBatchBytes);
                    return;
                }

                Fetch(next, _stride, 2 * ReadBatchBytes);
                next += _stride;
            }

            while (behind && _fetches.Count < ReadAheadBatches && next + _stride <= batch.EndOffset)
            {
                Fetch(next, _stride, 2 * ReadBatchBytes);
                next += _stride;
            }
        }

        /// <summary>Waits out and drops every fetch in flight.</summary>
        public async Task DiscardAsync()
        {
            while (_fetches.TryDequeue(out var fetch))
            {
                try
                {
                    await fetch.Batch.ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is OperationCanceledException || EffluxException.From(ex) is not null)
                {
                    // Nobody reads it.
                }
            }
        }
    }

    /// <summary>
    /// Has the partition push its messages from <paramref name="fromOffset"/> (negative: the oldest stored) to
    /// <paramref name="handler"/> as they become durable, in order, one at a time. Dispose the subscription to end it.
    /// </summary>
    public Task<Subscription> SubscribeAsync(int partition, long fromOffset, Func<EffluxMessage, CancellationToken, Task> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return Subscription.StartAsync(_client, _client.Partition(Namespace, Name, partition), fromOffset, handler);
    }

    /// <summary>One message, or null when the offset is not stored.</summary>
    public async Task<EffluxMessage?> FetchAsync(int partition, long offset)
        => await Calls.Run(_client.Partition(Namespace, Name, partition).FetchAsync(offset)).ConfigureAwait(false) is { } record
            ? EffluxMessage.From(partition, record)
            : null;

    /// <summary>The message with this id, from whichever partition holds it, or null.</summary>
    public async Task<EffluxMessage?> FetchByIdAsync(string id)
    {
        var config = await ReadConfigAsync().ConfigureAwait(false);
        var found = await Task.WhenAll(Enumerable.Range(0, config.Partitions).Select(async p =>
            (Partition: p, Record: await Calls.Run(_client.Partition(Namespace, Name, p).FetchByIdAsync(id)).ConfigureAwait(false)))).ConfigureAwait(false);
        var hit = found.FirstOrDefault(f => f.Record is not null);
        return hit.Record is null ? null : EffluxMessage.From(hit.Partition, hit.Record);
    }

    /// <summary>The first offset of a partition at or after a time.</summary>
    public Task<long> OffsetForTimeAsync(int partition, DateTimeOffset time)
        => Calls.Run(_client.Partition(Namespace, Name, partition).OffsetForTimeAsync(time));

    /// <summary>Messages matching a metadata query, from every partition's index.</summary>
    public async Task<IReadOnlyList<EffluxMessage>> SearchAsync(SearchRequest request)
    {
        var config = await ReadConfigAsync().ConfigureAwait(false);
        var found = await Task.WhenAll(Enumerable.Range(0, config.Partitions).Select(async p =>
            (await Calls.Run(_client.Partition(Namespace, Name, p).SearchAsync(request)).ConfigureAwait(false)).Select(r => EffluxMessage.From(p, r)))).ConfigureAwait(false);
        return [.. found.SelectMany(f => f).OrderBy(m => m.Timestamp).ThenBy(m => m.Partition).ThenBy(m => m.Offset)];
    }

    /// <summary>Has the silo re-hash a range of a partition (the whole partition by default).</summary>
    public Task<VerifyResult> VerifyAsync(int partition, long? fromOffset = null, long? toOffset = null)
        => Calls.Run(_client.Partition(Namespace, Name, partition).VerifyAsync(fromOffset, toOffset));

    /// <summary>Offsets, size and head of every partition.</summary>
    public Task<TopicInfo> DescribeAsync() => Calls.Run(_client.TopicGrain(Namespace, Name).DescribeAsync());

    /// <summary>A consumer group of this topic.</summary>
    public ConsumerGroup Group(string name) => new(_client, this, name);

    /// <summary>The configuration, creating the topic with the silo's defaults when that is allowed (cached).</summary>
    internal Task<TopicConfig> ConfigAsync()
    {
        var config = _config;
        if (config is null || config.IsFaulted || config.IsCanceled)
        {
            _config = config = Calls.Run(_client.TopicGrain(Namespace, Name).EnsureAsync());
        }

        return config;
    }

    /// <summary>Drops the kept configuration if it is still <paramref name="stale"/>, so the next append reads it again.</summary>
    internal void ForgetConfig(Task<TopicConfig> stale) => Interlocked.CompareExchange(ref _config, null, stale);

    /// <summary>The configuration of an existing topic.</summary>
    internal Task<TopicConfig> ReadConfigAsync() => Calls.Run(_client.TopicGrain(Namespace, Name).GetConfigAsync());

    /// <summary>The fingerprint the record at <paramref name="offset"/> must link to.</summary>
    private async Task<byte[]> LinkBeforeAsync(IPartitionGrain grain, int partition, long offset, EffluxMessage first)
    {
        if (offset == 0)
        {
            return EffluxMessage.Genesis(Namespace, Name, partition);
        }

        var before = await Calls.Run(grain.FetchAsync(offset - 1)).ConfigureAwait(false);

        // Below the start (retention removed it): the first record's own link is all there is to go on.
        return before is null ? first.LinkedFingerprint : EffluxMessage.From(partition, before).Fingerprint.ToArray();
    }
}
