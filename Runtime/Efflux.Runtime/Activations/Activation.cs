using Efflux.Runtime.Invocation;

namespace Efflux.Runtime.Activations;

/// <summary>
/// One activation of one grain: its instance, its queue of turns and the rules for running them. Turns run on the
/// activation's own <see cref="ActivationScheduler"/>, so the grain's code never runs on two threads at once, even when
/// calls interleave at awaits ([Reentrant], [ReadOnly] with [ReadOnly], [AlwaysInterleave]). Queue and counters are
/// guarded by <see cref="_lock"/>; turns are started outside it. The activation lives from its first call until it deactivates
/// (idle, asked to, or silo shutdown); work that arrives after that goes to a new activation.
/// </summary>
internal sealed class Activation : IGrainContext
{
    private readonly Lock _lock = new();
    private readonly Queue<WorkItem> _queue = new();
    private readonly List<ActivationTimer> _timers = [];
    private readonly List<Func<CancellationToken, Task>> _stateReads = [];
    private readonly ActivationScheduler _scheduler = new();
    private readonly Action<object?> _runTurn;
    private readonly TaskCompletionSource _deactivated = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Catalog _catalog;
    private readonly GrainClass _class;
    private Grain? _grain;
    private State _state = State.Activating;
    private DeactivationReason? _deactivation;

    // Turns running now: all of them; those that exclude every other turn; [ReadOnly] ones. Always-interleaving turns
    // count only in the first.
    private int _running;
    private int _runningExclusive;
    private int _runningReadOnly;

    public Activation(Catalog catalog, GrainId grainId, GrainClass grainClass)
    {
        _catalog = catalog;
        _class = grainClass;
        GrainId = grainId;
        LastUsed = catalog.Clock.Now;
        _runTurn = state => _ = RunTurnAsync((WorkItem)state!);
    }

    private enum State
    {
        Activating,
        Active,
        Deactivating,
        Dead,
    }

    public GrainId GrainId { get; }

    public IGrainFactory GrainFactory => _catalog.GrainFactory;

    /// <summary>When the last turn ended (or the activation was created).</summary>
    public DateTimeOffset LastUsed { get; private set; }

    /// <summary>Completes when the activation is gone.</summary>
    public Task Deactivated => _deactivated.Task;

    /// <summary>True when nothing runs or waits.</summary>
    public bool IsIdle
    {
        get
        {
            lock (_lock)
            {
                return _state == State.Active && _running == 0 && _queue.Count == 0;
            }
        }
    }

    /// <summary>Creates the grain, reads its persistent states and runs OnActivateAsync; queued work starts after it.</summary>
    public void Start()
    {
        _ = RunOnSchedulerAsync(ActivateAsync);
    }

    /// <summary>Queues a turn; false when the activation is gone (the caller routes the work to a new activation).</summary>
    public bool TryEnqueue(WorkItem item)
    {
        var startNow = false;
        lock (_lock)
        {
            if (_state == State.Dead || (_state == State.Deactivating && !Draining))
            {
                return false;
            }

            if (_state == State.Active && _deactivation is null && _queue.Count == 0 && CanStart(item))
            {
                // Nothing waits ahead of it: the turn starts without passing through the queue.
                MarkRunning(item);
                startNow = true;
            }
            else if (_queue.Count >= _catalog.Options.MaxWaitingCallsPerActivation)
            {
                // Back-pressure: a bounded queue; the caller learns at once instead of waiting behind a backlog.
                item.Fail(new GrainOverloadedException($"{GrainId} already has {_queue.Count} calls waiting."));
                return true;
            }
            else
            {
                _queue.Enqueue(item);
            }
        }

        if (startNow)
        {
            StartTurn(item);
        }
        else
        {
            Pump();
        }

        return true;
    }

    // Deactivating after what is queued (and what still arrives) has run: the silo stops, or the grain moved elsewhere.
    private bool Draining => _deactivation?.Code is DeactivationReasonCode.ShuttingDown or DeactivationReasonCode.PlacementChanged;

    public void DeactivateOnIdle() => RequestDeactivation(new DeactivationReason(DeactivationReasonCode.ApplicationRequested, "The grain asked to be deactivated."));

    public IDisposable RegisterTimer(Func<CancellationToken, Task> callback, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(callback);
        var timer = new ActivationTimer(this, callback, dueTime, period);
        lock (_lock)
        {
            _timers.Add(timer);
        }

        timer.Start(_catalog.Time);
        return timer;
    }

    /// <summary>Starts deactivation once no turn runs (shutdown first drains the queue).</summary>
    public void RequestDeactivation(DeactivationReason reason)
    {
        lock (_lock)
        {
            if (_deactivation is not null || _state == State.Dead)
            {
                return;
            }

            _deactivation = reason;
        }

        Pump();
    }

    /// <summary>
    /// Deactivates now although turns still run (they never finished within the deactivation timeout); what is queued
    /// fails with <see cref="SiloUnavailableException"/>.
    /// </summary>
    public void Abandon()
    {
        WorkItem[] queued;
        lock (_lock)
        {
            if (_state != State.Active)
            {
                return;
            }

            _deactivation ??= new DeactivationReason(DeactivationReasonCode.ShuttingDown, "The silo is shutting down.");
            _state = State.Deactivating;
            queued = [.. _queue];
            _queue.Clear();
        }

        foreach (var item in queued)
        {
            item.Fail(new SiloUnavailableException($"The silo is shutting down: {GrainId} did not get to this call."));
        }

        _ = RunOnSchedulerAsync(DeactivateAsync);
    }

    internal void EnqueueTimerTick(ActivationTimer timer, Func<CancellationToken, Task> callback)
        => TryEnqueue(new TimerWorkItem(callback, ex => _catalog.Log.TimerFailed(ex, GrainId), timer.Stopping));

    internal void RemoveTimer(ActivationTimer timer)
    {
        lock (_lock)
        {
            _timers.Remove(timer);
        }
    }

    private async Task ActivateAsync()
    {
        try
        {
            _grain = _class.Factory(new ActivationServices(_catalog.Services, _stateReads.Add), GrainId);
            _grain.Attach(this);
            foreach (var read in _stateReads)
            {
                await read(CancellationToken.None);
            }

            await _grain.OnActivateAsync(CancellationToken.None);
        }
        catch (Exception ex)
        {
            _catalog.Log.ActivationFailed(ex, GrainId, _class.Name);
            Die(ex);
            return;
        }

        lock (_lock)
        {
            _state = State.Active;
        }

        Pump();
    }

    /// <summary>Starts the queued turns that may run now, one at a time; deactivates once nothing runs, if asked to.</summary>
    private void Pump()
    {
        WorkItem? next;
        bool deactivate;
        lock (_lock)
        {
            next = TakeNext(out deactivate);
        }

        StartQueued(next, deactivate);
    }

    /// <summary>
    /// Under <see cref="_lock"/>: the queued turn that may start now (marked running), or null; <paramref name="deactivate"/>
    /// when, instead, the activation is to deactivate now (marked deactivating).
    /// </summary>
    private WorkItem? TakeNext(out bool deactivate)
    {
        deactivate = false;
        if (_state != State.Active)
        {
            return null;
        }

        var draining = Draining;
        if (_queue.Count > 0 && (_deactivation is null || draining) && CanStart(_queue.Peek()))
        {
            var next = _queue.Dequeue();
            MarkRunning(next);
            return next;
        }

        if (_deactivation is not null && _running == 0 && (!draining || _queue.Count == 0))
        {
            _state = State.Deactivating;
            deactivate = true;
        }

        return null;
    }

    // Starts what TakeNext gave, then whatever else may start beside it.
    private void StartQueued(WorkItem? next, bool deactivate)
    {
        while (next is not null)
        {
            StartTurn(next);
            lock (_lock)
            {
                next = TakeNext(out deactivate);
            }
        }

        if (deactivate)
        {
            _ = RunOnSchedulerAsync(DeactivateAsync);
        }
    }

    /// <summary>
    /// The interleaving rule: an ordinary turn runs alone; a [Reentrant] class or an [AlwaysInterleave] call runs
    /// beside anything; a [ReadOnly] call runs beside other [ReadOnly] ones. Always-interleaving turns never block others.
    /// </summary>
    private bool CanStart(WorkItem item)
    {
        if (_class.Reentrant || item.Flags.HasFlag(CallFlags.AlwaysInterleave))
        {
            return true;
        }

        return _runningExclusive == 0 && (_runningReadOnly == 0 || item.Flags.HasFlag(CallFlags.ReadOnly));
    }

    // Both under _lock: the counters CanStart reads.
    private void MarkRunning(WorkItem item) => Count(item, 1);

    private void MarkDone(WorkItem item) => Count(item, -1);

    private void Count(WorkItem item, int delta)
    {
        _running += delta;
        if (item.Flags.HasFlag(CallFlags.AlwaysInterleave))
        {
            return;
        }

        if (item.Flags.HasFlag(CallFlags.ReadOnly))
        {
            _runningReadOnly += delta;
        }
        else
        {
            _runningExclusive += delta;
        }
    }

    private async Task RunTurnAsync(WorkItem item)
    {
        try
        {
            await item.RunAsync(_grain!);
        }
        finally
        {
            // The end of the turn and the start of the next one take the lock once.
            WorkItem? next;
            bool deactivate;
            lock (_lock)
            {
                MarkDone(item);
                LastUsed = _catalog.Clock.Now;
                next = TakeNext(out deactivate);
            }

            item.Complete();
            StartQueued(next, deactivate);
        }
    }

    private async Task DeactivateAsync()
    {
        var reason = _deactivation!;
        List<ActivationTimer> timers;
        lock (_lock)
        {
            timers = [.. _timers];
        }

        foreach (var timer in timers)
        {
            timer.Dispose();
        }

        try
        {
            using var timeout = new CancellationTokenSource(_catalog.Options.DeactivationTimeout, _catalog.Time);
            await _grain!.OnDeactivateAsync(reason, timeout.Token).WaitAsync(_catalog.Options.DeactivationTimeout, _catalog.Time, CancellationToken.None);
        }
        catch (Exception ex)
        {
            _catalog.Log.DeactivationFailed(ex, GrainId);
        }

        _catalog.Log.Deactivated(GrainId, reason.Code);
        Die(error: null);
    }

    /// <summary>Leaves the catalog; what is still queued goes to a new activation (or fails, when activation failed).</summary>
    private void Die(Exception? error)
    {
        WorkItem[] leftover;
        lock (_lock)
        {
            _state = State.Dead;
            leftover = [.. _queue];
            _queue.Clear();
        }

        _catalog.Remove(this);
        foreach (var item in leftover)
        {
            if (error is not null)
            {
                item.Fail(error);
            }
            else
            {
                _catalog.Dispatch(GrainId, item);
            }
        }

        _deactivated.TrySetResult();
    }

    /// <summary>
    /// Starts a turn on the activation's scheduler (its awaits resume there too): on this thread when it is in another
    /// grain's turn and this activation is idle, else queued. Nobody awaits the turn's task: the turn completes its own
    /// caller.
    /// </summary>
    private void StartTurn(WorkItem item)
    {
        var turn = new Task(_runTurn, item, CancellationToken.None, TaskCreationOptions.DenyChildAttach);
        if (!_scheduler.TryRunHere(turn))
        {
            turn.Start(_scheduler);
        }
    }

    private Task RunOnSchedulerAsync(Func<Task> work)
        => Task.Factory.StartNew(work, CancellationToken.None, TaskCreationOptions.DenyChildAttach, _scheduler).Unwrap();
}
