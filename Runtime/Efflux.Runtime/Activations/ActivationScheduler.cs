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

    // What the thread runs: one object per thread, so each method reads the thread-local slot once.
    [ThreadStatic]
    private static ThreadTurns? t_turns;

    private readonly ConcurrentQueue<Task> _tasks = new();

    // 1 while one thread runs this scheduler's tasks (a pool visit, or one queued for it, or a task run here).
    private int _busy;

    public override int MaximumConcurrencyLevel => 1;

    /// <summary>
    /// Runs <paramref name="task"/> on this thread now, when the calling thread is in another activation's turn and this
    /// activation is idle; false (and nothing run) otherwise.
    /// </summary>
    public bool TryRunHere(Task task)
    {
        // Only from inside another activation's turn, not nested too deep.
        var turns = t_turns;
        if (turns?.Current is null || turns.Current == this || turns.Depth >= MaxDepth || !RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            return false;
        }

        if (Interlocked.CompareExchange(ref _busy, 1, 0) != 0)
        {
            return false;
        }

        // Start hands the task to QueueTask, which sees this marker and runs it instead of queueing it.
        turns.RunHere = this;
        try
        {
            task.Start(this);
        }
        finally
        {
            turns.RunHere = null;
            Release();
        }

        return true;
    }

    protected override void QueueTask(Task task)
    {
        if (t_turns is { } turns && turns.RunHere == this)
        {
            turns.RunHere = null;
            Run(task, turns);
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
        => t_turns?.Current == this && TryExecuteTask(task);

    protected override IEnumerable<Task> GetScheduledTasks() => _tasks.ToArray();

    void IThreadPoolWorkItem.Execute()
    {
        for (var i = 0; i < Batch; i++)
        {
            if (_tasks.TryDequeue(out var task))
            {
                Run(task, t_turns ??= new ThreadTurns());
            }
            else if (!GiveUp())
            {
                return;
            }
        }

        // More than a batch waits: come back after other work had its turn.
        ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
    }

    private void Run(Task task, ThreadTurns turns)
    {
        var outer = turns.Current;
        turns.Current = this;
        turns.Depth++;
        try
        {
            TryExecuteTask(task);
        }
        finally
        {
            turns.Depth--;
            turns.Current = outer;
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

    private sealed class ThreadTurns
    {
        // The scheduler whose task runs on this thread now (innermost), and how many are nested.
        public ActivationScheduler? Current;
        public int Depth;

        // Set by TryRunHere while it starts a task: QueueTask then runs the task instead of queueing it.
        public ActivationScheduler? RunHere;
    }
}
