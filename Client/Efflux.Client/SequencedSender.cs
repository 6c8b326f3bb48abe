namespace Efflux.Client;

/// <summary>A message waiting to be appended, and the acknowledgement its sender awaits.</summary>
internal readonly record struct Pending(ProduceMessage Message, TaskCompletionSource<ProduceResult> Ack)
{
    public static Pending For(ProduceMessage message) => new(message, new(TaskCreationOptions.RunContinuationsAsynchronously));

    /// <summary>Completes each acknowledgement of <paramref name="batch"/> with its result once <paramref name="appended"/> ends, or all of them with its error.</summary>
    public static async Task AcknowledgeAsync(List<Pending> batch, Task<List<ProduceResult>> appended)
    {
        try
        {
            var results = await appended.ConfigureAwait(false);
            for (var i = 0; i < batch.Count; i++)
            {
                batch[i].Ack.TrySetResult(results[i]);
            }
        }
        catch (Exception ex)
        {
            foreach (var pending in batch)
            {
                pending.Ack.TrySetException(ex);
            }
        }
    }
}

/// <summary>
/// Sends one sender's batches to a topic: each partition's part of a batch is numbered in the sender's sequence for that
/// partition, so the partition appends the sender's batches in the order they were sent, also when Orleans delivers
/// the calls in another order (see <see cref="AppendSequence"/>).
/// </summary>
internal sealed class SequencedSender(TopicClient topic, Acks acks, int? partition)
{
    private readonly Guid _sender = Guid.NewGuid();
    private readonly Lock _lock = new();
    private readonly Dictionary<int, long> _next = [];
    private readonly Dictionary<int, SortedSet<long>> _open = [];

    /// <summary>
    /// Makes the batch's calls once the topic's configuration is known, after those of every batch sent before it (so
    /// callers send batches one at a time), and returns the task of their results; errors are in that task, never thrown.
    /// </summary>
    public async Task<Task<List<ProduceResult>>> SendAsync(List<Pending> batch)
    {
        try
        {
            return Send(await topic.ConfigAsync().ConfigureAwait(false), batch);
        }
        catch (Exception ex)
        {
            return Task.FromException<List<ProduceResult>>(ex);
        }
    }

    /// <summary>
    /// Makes the batch's calls before it returns, numbered after those of every batch sent before it; returns the task
    /// of their results (errors are in that task, never thrown).
    /// </summary>
    public Task<List<ProduceResult>> Send(TopicConfig config, List<Pending> batch)
    {
        var numbered = new List<(int Partition, long Number)>();
        Task<List<ProduceResult>> append;
        try
        {
            append = topic.Append(config, [.. batch.Select(b => b.Message)], target =>
            {
                var sequence = Take(target);
                numbered.Add((target, sequence.Number));
                return new ProduceOptions { Acks = acks, Sequence = sequence };
            }, partition);
        }
        catch (Exception ex)
        {
            append = Task.FromException<List<ProduceResult>>(ex);
        }

        return AnsweredAsync(append, numbered);
    }

    private async Task<List<ProduceResult>> AnsweredAsync(Task<List<ProduceResult>> append, List<(int Partition, long Number)> numbered)
    {
        try
        {
            return await append.ConfigureAwait(false);
        }
        finally
        {
            lock (_lock)
            {
                foreach (var (target, number) in numbered)
                {
                    _open[target].Remove(number);
                }
            }
        }
    }

    /// <summary>The next number for <paramref name="target"/>, with the oldest of this sender's numbers still unanswered there.</summary>
    private AppendSequence Take(int target)
    {
        lock (_lock)
        {
            var number = _next.GetValueOrDefault(target);
            _next[target] = number + 1;
            if (!_open.TryGetValue(target, out var open))
            {
                _open[target] = open = [];
            }

            open.Add(number);
            return new AppendSequence { Producer = _sender, Number = number, Oldest = open.Min };
        }
    }
}
