namespace Efflux.Runtime.Activations;

/// <summary>
/// An activation's own task scheduler: runs its tasks one at a time, in the order they were queued, on thread-pool
/// threads — the turn-based guarantee grain code relies on across awaits. Lighter than an exclusive scheduler of a
/// ConcurrentExclusiveSchedulerPair: it queues itself to the pool as the one work item that drains its queue, and runs
/// at most <see cref="Quantum"/> tasks per visit so that a busy activation leaves the pool's threads to others.
/// </summary>
internal sealed class ActivationScheduler : TaskScheduler, IThreadPoolWorkItem
{
    private const int Quantum = 64;

    [ThreadStatic]
    private static ActivationScheduler? t_running;

    private readonly Lock _lock = new();
    private readonly Queue<Task> _tasks = new();
    private bool _scheduled;

    /// <inheritdoc />
    public override int MaximumConcurrencyLevel => 1;

    /// <inheritdoc />
    protected override void QueueTask(Task task)
    {
        lock (_lock)
        {
            _tasks.Enqueue(task);
            if (_scheduled)
            {
                return;
            }

            _scheduled = true;
        }

        ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
    }

    /// <summary>Only on the thread that is running this scheduler's turn (a task waited on from inside the grain).</summary>
    protected override bool TryExecuteTaskInline(Task task, bool taskWasPreviouslyQueued)
        => t_running == this && TryExecuteTask(task);

    /// <inheritdoc />
    protected override IEnumerable<Task> GetScheduledTasks()
    {
        lock (_lock)
        {
            return [.. _tasks];
        }
    }

    void IThreadPoolWorkItem.Execute()
    {
        t_running = this;
        try
        {
            for (var i = 0; i < Quantum; i++)
            {
                Task? task;
                lock (_lock)
                {
                    if (!_tasks.TryDequeue(out task))
                    {
                        _scheduled = false;
                        return;
                    }
                }

                TryExecuteTask(task);
            }
        }
        finally
        {
            t_running = null;
        }

        // The quantum is used up and tasks remain: come back behind the pool's other work.
        ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
    }
}
