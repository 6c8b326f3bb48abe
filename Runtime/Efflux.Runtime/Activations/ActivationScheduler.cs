using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace Efflux.Runtime.Activations;

/// <summary>
/// The task scheduler of one activation: runs its tasks one at a time, in order, so the grain's code is never on two
/// threads at once. Queued tasks are drained by one thread-pool work item, a batch at a time. A task can also be run at
/// once on the calling thread (<see cref="TryRunHere"/>) when nothing of the activation runs or waits: a grain calling an
/// idle grain of its silo then runs the callee's turn up to its first pending await without a thread hop, and when that
/// turn completes synchronously the caller's await does not yield either. Thread-safe and lock-free: whoever runs the
/// scheduler's tasks first claims it with a compare-exchange, and on giving it up looks at the queue again, so a task
/// queued meanwhile is never left without a runner.
/// </summary>
internal sealed class ActivationScheduler : TaskScheduler, IThreadPoolWorkItem
{
    // How many tasks one thread-pool visit runs before yielding the thread to other work.
    private const int Batch = 64;

    // How deep turns may nest on one thread when grains call idle grains.
    private const int MaxDepth = 8;

    [ThreadStatic]
    private static ActivationScheduler? t_current;

    [ThreadStatic]
    private static int t_depth;

    [ThreadStatic]
    private static ActivationScheduler? t_runHere;

    private readonly ConcurrentQueue<Task> _tasks = new();

    // 1 while one thread runs this scheduler's tasks (a pool visit, or one queued for it, or a task run here).
    private int _busy;

    /// <summary>True when the calling thread is inside a turn of some activation and may run another one nested.</summary>
    public static bool InsideTurn => t_current is not null && t_depth < MaxDepth;

    public override int MaximumConcurrencyLevel => 1;

    /// <summary>
    /// Runs <paramref name="task"/> on this thread now, when the calling thread is in another activation's turn and this
    /// activation is idle; false (and nothing run) otherwise.
    /// </summary>
    public bool TryRunHere(Task task)
    {
        if (!InsideTurn || t_current == this || !RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            return false;
        }

        if (Interlocked.CompareExchange(ref _busy, 1, 0) != 0)
        {
            return false;
        }

        // Start hands the task to QueueTask, which sees this marker and runs it instead of queueing it.
        t_runHere = this;
        try
        {
            task.Start(this);
        }
        finally
        {
            t_runHere = null;
            Release();
        }

        return true;
    }

    protected override void QueueTask(Task task)
    {
        if (t_runHere == this)
        {
            t_runHere = null;
            Run(task);
            return;
        }

        _tasks.Enqueue(task);
        if (Interlocked.CompareExchange(ref _busy, 1, 0) == 0)
        {
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        }
    }

    // Inlining (a Wait, or a continuation completing here) only on the thread that already runs this scheduler.
    protected override bool TryExecuteTaskInline(Task task, bool taskWasPreviouslyQueued)
        => t_current == this && TryExecuteTask(task);

    protected override IEnumerable<Task> GetScheduledTasks() => _tasks.ToArray();

    void IThreadPoolWorkItem.Execute()
    {
        for (var i = 0; i < Batch; i++)
        {
            if (_tasks.TryDequeue(out var task))
            {
                Run(task);
            }
            else if (!GiveUp())
            {
                return;
            }
        }

        // More than a batch waits: come back after other work had its turn.
        ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
    }

    private void Run(Task task)
    {
        var outer = t_current;
        t_current = this;
        t_depth++;
        try
        {
            TryExecuteTask(task);
        }
        finally
        {
            t_depth--;
            t_current = outer;
        }
    }

    // Ends a run on a foreign thread: tasks queued meanwhile go to the pool.
    private void Release()
    {
        if (GiveUp())
        {
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        }
    }

    // Lets go of the scheduler; true when tasks were queued meanwhile and this thread claimed it back to see to them.
    // (A task queued just before the release is seen here; one queued just after it is claimed by its own QueueTask.)
    private bool GiveUp()
    {
        Interlocked.Exchange(ref _busy, 0);
        return !_tasks.IsEmpty && Interlocked.CompareExchange(ref _busy, 1, 0) == 0;
    }
}
