using Efflux.Runtime.Activations;

namespace Efflux.Runtime.Tests;

/// <summary>The activation scheduler on its own: running a turn on the caller's thread, and never losing a queued task.</summary>
public sealed class ActivationSchedulerTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public void OutsideAnyTurn_NothingRunsOnTheCallersThread()
    {
        var scheduler = new ActivationScheduler();
        var turn = new Task(() => { });
        Assert.False(scheduler.TryRunHere(turn));
        Assert.Equal(TaskStatus.Created, turn.Status);
    }

    [Fact]
    public async Task InsideATurn_AnIdleSchedulersTaskRunsOnTheCallersThread()
    {
        var caller = new ActivationScheduler();
        var callee = new ActivationScheduler();
        var (ranHere, sameThread) = await OnAsync(caller, () =>
        {
            var thread = Environment.CurrentManagedThreadId;
            var runOn = -1;
            var turn = new Task(() => runOn = Environment.CurrentManagedThreadId);
            return (callee.TryRunHere(turn), runOn == thread);
        });
        Assert.True(ranHere);
        Assert.True(sameThread);
    }

    [Fact]
    public async Task TaskQueuedWhileATurnRunsOnAForeignThread_RunsWhenThatTurnEnds()
    {
        // The queued task finds the scheduler claimed by the turn running here; giving the claim up must hand it on.
        var caller = new ActivationScheduler();
        var callee = new ActivationScheduler();
        Task<int>? queued = null;
        var ranHere = await OnAsync(caller, () => callee.TryRunHere(new Task(() => queued = OnAsync(callee, () => 42))));
        Assert.True(ranHere);
        Assert.Equal(42, await queued!.WaitAsync(Patience));
    }

    [Fact]
    public async Task BusyScheduler_IsNotEnteredFromAnotherTurn_AndItsQueueRunsInOrder()
    {
        var caller = new ActivationScheduler();
        var callee = new ActivationScheduler();
        var gate = new ManualResetEventSlim();
        var order = new List<int>();
        var blocking = OnAsync(callee, () =>
        {
            gate.Wait(Patience);
            order.Add(1);
            return 1;
        });
        var ranHere = await OnAsync(caller, () => callee.TryRunHere(new Task(() => order.Add(-1))));
        var after = OnAsync(callee, () =>
        {
            order.Add(2);
            return 2;
        });
        Assert.False(ranHere);
        gate.Set();
        await Task.WhenAll(blocking, after).WaitAsync(Patience);
        Assert.Equal([1, 2], order);
    }

    [Fact]
    public async Task ManyThreadsQueueingAndRunningHere_EveryTaskRunsOnce_NeverTwoAtATime()
    {
        var callee = new ActivationScheduler();
        var callers = Enumerable.Range(0, 4).Select(_ => new ActivationScheduler()).ToList();
        var inside = 0;
        var overlaps = 0;
        var runs = 0;
        void Work()
        {
            if (Interlocked.Increment(ref inside) != 1)
            {
                Interlocked.Increment(ref overlaps);
            }

            Interlocked.Increment(ref runs);
            Interlocked.Decrement(ref inside);
        }

        var queuers = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            for (var i = 0; i < 2_000; i++)
            {
                await OnAsync(callee, () => { Work(); return 0; });
            }
        }));
        var runnersHere = callers.Select(caller => Task.Run(async () =>
        {
            for (var i = 0; i < 2_000; i++)
            {
                var turn = new Task(Work);
                if (!await OnAsync(caller, () => callee.TryRunHere(turn)))
                {
                    turn.Start(callee);
                }

                await turn;
            }
        }));
        await Task.WhenAll(queuers.Concat(runnersHere)).WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(16_000, runs);
        Assert.Equal(0, overlaps);
    }

    private static Task<T> OnAsync<T>(TaskScheduler scheduler, Func<T> work)
        => Task.Factory.StartNew(work, CancellationToken.None, TaskCreationOptions.None, scheduler);
}
