using System.Threading.Channels;

namespace Efflux.Client;

/// <summary>Settings of a buffered <see cref="Producer"/>.</summary>
public sealed class ProducerOptions
{
    /// <summary>How long the first message of a batch waits for more before the batch is sent.</summary>
    public TimeSpan Linger { get; set; } = TimeSpan.FromMilliseconds(2);

    /// <summary>Most messages in one batch.</summary>
    public int MaxBatch { get; set; } = 1000;

    /// <summary>
    /// Batches sent and not yet acknowledged. Batches are appended to each partition in the order they were sent, also
    /// with several in flight; when one fails, the ones sent after it may still be appended. Batches refused because the
    /// topic was deleted meanwhile are sent again, in order, once those in flight are answered (recreating the topic
    /// when the silo allows it).
    /// </summary>
    public int MaxInFlight { get; set; } = 4;

    /// <summary>Messages waiting to be sent before <see cref="Producer.SendAsync"/> waits for room (back-pressure).</summary>
    public int MaxQueued { get; set; } = 100_000;

    /// <summary>When batches are acknowledged.</summary>
    public Acks Acks { get; set; } = Acks.Durable;
}

/// <summary>
/// A buffered producer: <see cref="SendAsync"/> queues a message and completes with its own acknowledgement once the
/// batch that carried it is appended. Batches form by <see cref="ProducerOptions.Linger"/> and
/// <see cref="ProducerOptions.MaxBatch"/>. Dispose to send what is queued and wait for it.
/// </summary>
public sealed class Producer : IAsyncDisposable
{
    private readonly ProducerOptions _options;
    private readonly TopicClient _topic;
    private readonly Channel<Pending> _queue;
    private readonly SemaphoreSlim _inFlight;
    private readonly SequencedSender _sender;
    private readonly Task _pump;
    private readonly Lock _refusedLock = new();
    private readonly List<(long Index, List<Pending> Batch)> _refused = [];
    private TaskCompletionSource _refusal = new(TaskCreationOptions.RunContinuationsAsynchronously);

    // Sends made while the queue is full wait here, in order, and enter the queue as the pump makes room: a waiting send
    // costs its place in this queue, not an async method and a channel wait of its own (a burst far beyond MaxQueued
    // kept hundreds of thousands of those alive for the collector to copy).
    private readonly Lock _waitingLock = new();
    private readonly Queue<(Pending Pending, CancellationTokenRegistration Cancel)> _waiting = new();
    private long _waitingAdded;
    private long _waitingLeft;
    private bool _anyWaiting;
    private int _entering;
    private bool _closing;

    internal Producer(TopicClient topic, ProducerOptions options)
    {
        if (options.MaxBatch < 1 || options.MaxInFlight < 1 || options.MaxQueued < 1 || options.Linger < TimeSpan.Zero)
        {
            throw new EffluxException(EffluxError.InvalidRequest, "MaxBatch, MaxInFlight and MaxQueued must be positive and Linger not negative.");
        }

        _options = options;
        _queue = Channel.CreateBounded<Pending>(new BoundedChannelOptions(options.MaxQueued) { SingleReader = true });
        _topic = topic;
        _sender = new SequencedSender(topic, options.Acks, null);
        _inFlight = new SemaphoreSlim(options.MaxInFlight, options.MaxInFlight);
        _pump = Task.Run(PumpAsync);
    }

    /// <summary>
    /// Queues a message (behind the sends that wait for room when <see cref="ProducerOptions.MaxQueued"/> are queued;
    /// <paramref name="cancellationToken"/> cancels it while it waits there); the task completes with its
    /// acknowledgement (or the error of its batch).
    /// </summary>
    /// <exception cref="ObjectDisposedException">The producer is disposed.</exception>
    public Task<ProduceResult> SendAsync(ProduceMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        var pending = Pending.For(message);
        Interlocked.Increment(ref _entering);
        bool queued;
        try
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _closing), this);
            queued = !Volatile.Read(ref _anyWaiting) && _queue.Writer.TryWrite(pending);
        }
        catch
        {
            Interlocked.Decrement(ref _entering);
            throw;
        }

        if (!queued)
        {
            Wait(pending, cancellationToken);
        }

        // The acknowledgement itself is the task; nothing else is made.
        Interlocked.Decrement(ref _entering);
        return pending.Ack.Task;
    }

    /// <summary>
    /// Queues <paramref name="pending"/> now if nothing waits and there is room, otherwise behind the sends that wait (a
    /// cancelled one is dropped before it enters the queue).
    /// </summary>
    private void Wait(Pending pending, CancellationToken cancellationToken)
    {
        lock (_waitingLock)
        {
            if (_waiting.Count == 0 && _queue.Writer.TryWrite(pending))
            {
                return;
            }

            if (cancellationToken.IsCancellationRequested)
            {
                pending.Ack.TrySetCanceled(cancellationToken);
                return;
            }

            var cancel = cancellationToken.CanBeCanceled
                ? cancellationToken.Register(static (state, token) => ((WaitingSend)state!).Cancel(token), new WaitingSend(this, pending.Ack, _waitingAdded))
                : default;
            _waiting.Enqueue((pending, cancel));
            _waitingAdded++;
            Volatile.Write(ref _anyWaiting, true);

            // The pump may have made room after the write above failed and before the flag was set, and then found
            // nothing waiting: admit now, or this send could wait with the queue empty and the pump asleep.
            AdmitLocked();
        }
    }

    /// <summary>
    /// A cancellable send that waits for room, number <paramref name="Number"/> in the order of waiting. It is cancelled
    /// only while it still waits: admission and cancellation both hold the waiting lock, so a send is either queued
    /// (and appended) or cancelled (and never sent), never both.
    /// </summary>
    private sealed record WaitingSend(Producer Producer, TaskCompletionSource<ProduceResult> Ack, long Number)
    {
        public void Cancel(CancellationToken token)
        {
            lock (Producer._waitingLock)
            {
                if (Number >= Producer._waitingLeft)
                {
                    Ack.TrySetCanceled(token);
                }
            }
        }
    }

    /// <summary>Moves waiting sends into the queue, in order, while it has room (cancelled ones are dropped).</summary>
    private void AdmitWaiting()
    {
        if (!Volatile.Read(ref _anyWaiting))
        {
            return;
        }

        lock (_waitingLock)
        {
            AdmitLocked();
        }
    }

    private void AdmitLocked()
    {
        while (_waiting.TryPeek(out var next))
        {
            if (!next.Pending.Ack.Task.IsCompleted && !_queue.Writer.TryWrite(next.Pending))
            {
                return;
            }

            _waiting.Dequeue();
            _waitingLeft++;

            // Not Dispose: that would wait for a cancellation running now, which waits for this lock.
            next.Cancel.Unregister();
        }

        Volatile.Write(ref _anyWaiting, false);
    }

    /// <summary>The next queued send, admitting waiting ones as room is made.</summary>
    private bool TryTake(ChannelReader<Pending> reader, out Pending item)
    {
        var taken = reader.TryRead(out item);
        AdmitWaiting();
        return taken || reader.TryRead(out item);
    }

    private async Task PumpAsync()
    {
        var reader = _queue.Reader;
        var sends = new List<Task>();
        long index = 0;
        var more = reader.WaitToReadAsync().AsTask();
        while (true)
        {
            var refusal = RefusalAsync();
            await Task.WhenAny(more, refusal).ConfigureAwait(false);
            if (refusal.IsCompleted)
            {
                await ResendRefusedAsync(sends).ConfigureAwait(false);
                continue;
            }

            if (!await more.ConfigureAwait(false))
            {
                break;
            }

            var batch = new List<Pending>();
            while (batch.Count < _options.MaxBatch && TryTake(reader, out var item))
            {
                batch.Add(item);
            }

            if (batch.Count < _options.MaxBatch && _options.Linger > TimeSpan.Zero)
            {
                using var linger = new CancellationTokenSource(_options.Linger);
                try
                {
                    while (batch.Count < _options.MaxBatch && await reader.WaitToReadAsync(linger.Token).ConfigureAwait(false))
                    {
                        while (batch.Count < _options.MaxBatch && TryTake(reader, out var item))
                        {
                            batch.Add(item);
                        }
                    }
                }
                catch (OperationCanceledException)
                {
                    // Lingered long enough.
                }
            }

            more = reader.WaitToReadAsync().AsTask();
            await _inFlight.WaitAsync().ConfigureAwait(false);
            sends.RemoveAll(t => t.IsCompleted);
            sends.Add(AcknowledgeAsync(batch, index++, await _sender.SendAsync(batch).ConfigureAwait(false)));
        }

        // Every batch answered (resends included) before disposal returns.
        await Task.WhenAll(sends).ConfigureAwait(false);
        while (RefusalAsync().IsCompleted)
        {
            await ResendRefusedAsync(sends).ConfigureAwait(false);
            await Task.WhenAll(sends).ConfigureAwait(false);
        }
    }

    private Task RefusalAsync()
    {
        lock (_refusedLock)
        {
            return _refusal.Task;
        }
    }

    /// <summary>
    /// Sends again, in the order they were first sent, the batches refused because the topic was deleted since its
    /// configuration was read (a partition refuses to open for a missing topic, so nothing of them was appended), once
    /// every batch in flight has its answer, and before any batch sent after them: reading the configuration again
    /// recreates the topic when that is allowed. A batch refused so a second time fails.
    /// </summary>
    private async Task ResendRefusedAsync(List<Task> sends)
    {
        await Task.WhenAll(sends).ConfigureAwait(false);
        sends.Clear();
        List<(long Index, List<Pending> Batch)> refused;
        lock (_refusedLock)
        {
            refused = [.. _refused.OrderBy(r => r.Index)];
            _refused.Clear();
            _refusal = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        _topic.ForgetConfig(_topic.ConfigAsync());
        foreach (var (_, batch) in refused)
        {
            await _inFlight.WaitAsync().ConfigureAwait(false);
            sends.Add(AcknowledgeAsync(batch, index: -1, await _sender.SendAsync(batch).ConfigureAwait(false)));
        }
    }

    /// <summary>Acknowledges a batch sent as number <paramref name="index"/> (-1: sent again), or keeps it for sending again.</summary>
    private async Task AcknowledgeAsync(List<Pending> batch, long index, Task<List<ProduceResult>> append)
    {
        try
        {
            await ((Task)append).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            if (index >= 0 && append.Exception?.InnerException is EffluxException { Error: EffluxError.TopicNotFound })
            {
                lock (_refusedLock)
                {
                    _refused.Add((index, batch));
                    _refusal.TrySetResult();
                }

                return;
            }

            await Pending.AcknowledgeAsync(batch, append).ConfigureAwait(false);
        }
        finally
        {
            _inFlight.Release();
        }
    }

    /// <summary>Sends what is queued (including sends still waiting for room), waits for every acknowledgement, and stops.</summary>
    public async ValueTask DisposeAsync()
    {
        Volatile.Write(ref _closing, true);
        while (Volatile.Read(ref _entering) > 0 || Volatile.Read(ref _anyWaiting))
        {
            await Task.Delay(1).ConfigureAwait(false);
        }

        _queue.Writer.TryComplete();
        await _pump.ConfigureAwait(false);
        _inFlight.Dispose();
    }
}
