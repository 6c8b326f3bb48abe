using System.Collections.Concurrent;

namespace Efflux.Storage.Log;

/// <summary>
/// A few dedicated threads, shared by every partition log in the process, that run the flusher loops and
/// <see cref="PartitionLog.FlushAsync"/>: their steps (an fdatasync included, a millisecond or more when the disk is
/// busy) run here and never block a thread-pool worker.
/// A loop awaits on this scheduler (ConfigureAwait(true)), so its continuations come back here. Shared rather than a
/// thread per partition, so a silo with thousands of open partitions still has only <see cref="Count"/> of them; up to
/// that many fdatasyncs of different partitions run at once.
/// </summary>
internal sealed class SyncThreads : TaskScheduler
{
    /// <summary>The process's instance; its threads start with it and live as long as the process (background threads).</summary>
    public static readonly SyncThreads Shared = new(Math.Max(8, 2 * Environment.ProcessorCount));

    private readonly BlockingCollection<Task> _tasks = [];

    private SyncThreads(int count)
    {
        Count = count;
        for (var i = 0; i < count; i++)
        {
            new Thread(Run) { IsBackground = true, Name = $"efflux-sync-{i}" }.Start();
        }
    }

    /// <summary>How many threads run flusher steps.</summary>
    public int Count { get; }

    /// <inheritdoc />
    public override int MaximumConcurrencyLevel => Count;

    /// <summary>Starts <paramref name="loop"/> on these threads.</summary>
    public Task Start(Func<Task> loop)
        => Task.Factory.StartNew(loop, CancellationToken.None, TaskCreationOptions.DenyChildAttach, this).Unwrap();

    /// <summary>Runs <paramref name="step"/> once on these threads.</summary>
    public Task Run(Action step)
        => Task.Factory.StartNew(step, CancellationToken.None, TaskCreationOptions.DenyChildAttach, this);

    /// <inheritdoc />
    protected override void QueueTask(Task task) => _tasks.Add(task);

    /// <summary>Never inline: a step runs on one of these threads when one is free, in the order queued.</summary>
    protected override bool TryExecuteTaskInline(Task task, bool taskWasPreviouslyQueued) => false;

    /// <inheritdoc />
    protected override IEnumerable<Task> GetScheduledTasks() => _tasks.ToArray();

    private void Run()
    {
        foreach (var task in _tasks.GetConsumingEnumerable())
        {
            TryExecuteTask(task);
        }
    }
}
