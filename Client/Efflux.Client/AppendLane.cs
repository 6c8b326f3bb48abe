namespace Efflux.Client;

/// <summary>
/// Carries concurrent single appends (<see cref="TopicClient.AppendAsync"/>) of one client to one topic, with one
/// acks setting and partition choice, to the partitions together. An append is sent at once, in a call of its own,
/// while fewer than the lane's limit of calls are unanswered; otherwise it waits, and each answer sends everything that
/// waited as one batch (no linger: nothing waits while a call could go). The lane's batches are numbered like a
/// <see cref="Producer"/>'s, so each partition takes them in the order the appends were made.
/// </summary>
internal sealed class AppendLane(TopicClient topic, Acks acks, int? partition, int maxInFlight, Func<ProduceMessage, long> callBytes, long callLimit)
{
    /// <summary>Most messages one batch of waiting appends carries.</summary>
    public const int MaxBatch = 1000;

    private readonly SequencedSender _sender = new(topic, acks, partition);
    private readonly Lock _lock = new();
    private readonly Queue<Pending> _waiting = new();
    private int _inFlight;

    public Task<ProduceResult> AppendAsync(ProduceMessage message)
    {
        var pending = Pending.For(message);
        bool start;
        lock (_lock)
        {
            _waiting.Enqueue(pending);
            start = _inFlight < maxInFlight;
            if (start)
            {
                _inFlight++;
            }
        }

        if (start)
        {
            _ = SendWaitingAsync();
        }

        return pending.Ack.Task;
    }

    /// <summary>
    /// One of the lane's calls in flight: sends what waits, then what waited meanwhile, until nothing waits. The calls
    /// are numbered and made under the lane's lock, as the batches are taken, so numbers follow the order of the appends.
    /// </summary>
    private async Task SendWaitingAsync()
    {
        List<Pending>? again = null;
        while (true)
        {
            var config = topic.ConfigAsync();
            await ((Task)config).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            List<Pending> batch;
            Task<List<ProduceResult>> appended;
            lock (_lock)
            {
                if (again is null && _waiting.Count == 0)
                {
                    _inFlight--;
                    return;
                }

                batch = again ?? TakeWaiting();
                appended = config.IsCompletedSuccessfully ? _sender.Send(config.Result, batch) : Task.FromException<List<ProduceResult>>(config.Exception?.InnerException ?? new TaskCanceledException(config));
            }

            await ((Task)appended).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            var error = appended.Exception?.InnerException as EffluxException;
            if (again is null && error?.Error == EffluxError.TopicNotFound)
            {
                // The topic was deleted since the lane read its configuration (a partition refuses to open for a
                // missing topic, so nothing was appended): read it again, which recreates the topic when allowed, and
                // send the batch once more.
                topic.ForgetConfig(config);
                again = batch;
                continue;
            }

            again = null;
            if (batch.Count > 1 && error?.Error is EffluxError.InvalidRequest or EffluxError.TooLarge)
            {
                // One message's fault refuses the whole call before anything of it is stored: each message goes again
                // in a call of its own, so that only the faulty one fails.
                foreach (var pending in batch)
                {
                    _ = AloneAsync(pending);
                }
            }
            else
            {
                await Pending.AcknowledgeAsync(batch, appended).ConfigureAwait(false);
            }
        }
    }

    private async Task AloneAsync(Pending pending)
    {
        try
        {
            var results = await topic.AppendBatchAsync([pending.Message], new ProduceOptions { Acks = acks }, partition).ConfigureAwait(false);
            pending.Ack.TrySetResult(results[0]);
        }
        catch (Exception ex)
        {
            pending.Ack.TrySetException(ex);
        }
    }

    /// <summary>The oldest waiting appends, as many as one call may carry (at least one).</summary>
    private List<Pending> TakeWaiting()
    {
        var batch = new List<Pending>(Math.Min(_waiting.Count, MaxBatch));
        long bytes = 0;
        while (batch.Count < MaxBatch && _waiting.TryPeek(out var next))
        {
            bytes += callBytes(next.Message);
            if (batch.Count > 0 && bytes > callLimit)
            {
                break;
            }

            batch.Add(_waiting.Dequeue());
        }

        return batch;
    }
}
