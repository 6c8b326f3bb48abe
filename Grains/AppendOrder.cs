namespace Efflux.Grains;

/// <summary>
/// Takes each producer's appends to a partition in their <see cref="AppendSequence"/> order, whatever order the calls
/// arrive in. It lives in the partition grain, in memory, and runs on the grain's scheduler (one step at a time). A
/// producer's line is forgotten after minutes without an append; its next append starts it again from its
/// <see cref="AppendSequence.Oldest"/>.
/// </summary>
internal sealed class AppendOrder(TimeProvider time, TimeSpan maxWait)
{
    private static readonly TimeSpan ForgetAfter = TimeSpan.FromMinutes(5);

    private readonly Dictionary<Guid, Line> _lines = [];
    private long _sweptAt = time.GetTimestamp();

    /// <summary>
    /// Completes when every append of the producer before <paramref name="sequence"/> has been taken; the caller then
    /// takes this one (starts writing it) and calls <see cref="Taken"/>.
    /// </summary>
    /// <exception cref="EffluxException">
    /// <see cref="EffluxError.Conflict"/>: a later append of the producer was taken already, so this one would land
    /// out of order. <see cref="EffluxError.Unavailable"/>: an earlier append did not arrive within the wait.
    /// </exception>
    public async Task WaitTurnAsync(AppendSequence sequence, string partition)
    {
        ArgumentNullException.ThrowIfNull(sequence);
        Sweep();
        if (!_lines.TryGetValue(sequence.Producer, out var line))
        {
            _lines[sequence.Producer] = line = new Line(sequence.Oldest);
        }

        line.Touched = time.GetTimestamp();
        if (sequence.Oldest > line.Next)
        {
            // The producer has its answers for everything below Oldest: none of those is coming.
            line.MoveTo(sequence.Oldest);
        }

        if (sequence.Number < line.Next)
        {
            throw new EffluxException(EffluxError.Conflict, $"Append {sequence.Number} of producer {sequence.Producer} reached {partition} after its append {line.Next - 1}; it was not appended, so that the producer's messages stay in order.");
        }

        if (sequence.Number == line.Next)
        {
            return;
        }

        var turn = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        line.Waiting[sequence.Number] = turn;
        try
        {
            await turn.Task.WaitAsync(maxWait, time);
        }
        catch (TimeoutException)
        {
            line.Waiting.Remove(sequence.Number);
            throw EffluxException.Unavailable($"Append {sequence.Number} of producer {sequence.Producer} waited {maxWait.TotalSeconds:0.#} s at {partition} for its append {line.Next}, which has not arrived; it was not appended.");
        }
    }

    /// <summary>The append <paramref name="sequence"/> is taken (or refused): the producer's next one may go.</summary>
    public void Taken(AppendSequence sequence)
    {
        ArgumentNullException.ThrowIfNull(sequence);
        if (_lines.TryGetValue(sequence.Producer, out var line) && sequence.Number >= line.Next)
        {
            line.MoveTo(sequence.Number + 1);
        }
    }

    private void Sweep()
    {
        if (time.GetElapsedTime(_sweptAt) < TimeSpan.FromMinutes(1))
        {
            return;
        }

        _sweptAt = time.GetTimestamp();
        foreach (var (producer, line) in _lines.Where(l => l.Value.Waiting.Count == 0 && time.GetElapsedTime(l.Value.Touched) >= ForgetAfter).ToList())
        {
            _lines.Remove(producer);
        }
    }

    private sealed class Line(long next)
    {
        public long Next { get; private set; } = next;

        public long Touched { get; set; }

        public Dictionary<long, TaskCompletionSource> Waiting { get; } = [];

        /// <summary>Moves the line to <paramref name="next"/>, waking the append with that number when it waits.</summary>
        public void MoveTo(long next)
        {
            Next = next;
            if (Waiting.Remove(next, out var turn))
            {
                turn.TrySetResult();
            }
        }
    }
}
