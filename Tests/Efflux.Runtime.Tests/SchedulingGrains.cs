using System.Collections.Concurrent;

namespace Efflux.Runtime.Tests;

/// <summary>Shared observations of the scheduling test grains (registered as a singleton in each test silo).</summary>
public sealed class Probe
{
    private int _inside;
    private int _activations;
    private int _deactivations;

    public ConcurrentQueue<string> Events { get; } = new();

    public int MaxConcurrent { get; private set; }

    public int Activations => Volatile.Read(ref _activations);

    public int Deactivations => Volatile.Read(ref _deactivations);

    public void Activated() => Interlocked.Increment(ref _activations);

    public void Deactivated() => Interlocked.Increment(ref _deactivations);

    public TaskCompletionSource Gate { get; set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Enters a call: counts concurrency and checks that no other grain code runs on another thread right now.</summary>
    public void Enter()
    {
        var now = Interlocked.Increment(ref _inside);
        lock (Events)
        {
            MaxConcurrent = Math.Max(MaxConcurrent, now);
        }
    }

    public void Leave() => Interlocked.Decrement(ref _inside);
}

[Alias("tests.counter")]
public interface ICounterGrain : IGrainWithStringKey
{
    Task<int> AddAsync(int amount);

    Task<int> WaitThenAddAsync(int amount);

    [ReadOnly]
    Task<int> PeekSlowlyAsync();

    [AlwaysInterleave]
    Task<int> StatusAsync();

    Task FailAsync(string message);

    Task HangAsync();

    Task LeaveAsync();

    Task StartTimerAsync(TimeSpan period);
}

[Alias("tests.reentrant")]
public interface IReentrantGrain : IGrainWithStringKey
{
    Task<int> WaitAsync();

    /// <summary>Two stretches of synchronous code with a yield between: throws if grain code ever runs on two threads at once.</summary>
    Task<int> TwoStretchesAsync();
}

[Alias("tests.orphan")]
public interface IOrphanGrain : IGrainWithStringKey
{
    Task PingAsync();
}

public sealed class CounterGrain(Probe probe) : Grain, ICounterGrain
{
    private int _value;
    private bool _inTurn;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        probe.Activated();
        probe.Events.Enqueue("activate " + GetPrimaryKeyString());
        return Task.CompletedTask;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        await Task.Yield();
        probe.Deactivated();
        probe.Events.Enqueue($"deactivate {GetPrimaryKeyString()} {reason.Code} value={_value}");
    }

    public Task<int> AddAsync(int amount)
    {
        Check();
        _value += amount;
        _inTurn = false;
        return Task.FromResult(_value);
    }

    public async Task<int> WaitThenAddAsync(int amount)
    {
        probe.Enter();
        try
        {
            Check();
            await probe.Gate.Task;
            await Task.Yield();
            _value += amount;
            _inTurn = false;
            return _value;
        }
        finally
        {
            probe.Leave();
        }
    }

    public async Task<int> PeekSlowlyAsync()
    {
        probe.Enter();
        try
        {
            await probe.Gate.Task;
            return _value;
        }
        finally
        {
            probe.Leave();
        }
    }

    public Task<int> StatusAsync() => Task.FromResult(_value);

    public Task FailAsync(string message) => throw new ArgumentException(message);

    public Task HangAsync() => new TaskCompletionSource().Task;

    public Task LeaveAsync()
    {
        DeactivateOnIdle();
        return Task.CompletedTask;
    }

    public Task StartTimerAsync(TimeSpan period)
    {
        RegisterTimer(
            _ =>
            {
                Check();
                _value++;
                _inTurn = false;
                probe.Events.Enqueue("tick " + _value);
                return Task.CompletedTask;
            },
            period,
            period);
        return Task.CompletedTask;
    }

    /// <summary>Two turns of one activation must never overlap: a flag left set means another turn is inside.</summary>
    private void Check()
    {
        if (_inTurn)
        {
            throw new InvalidOperationException("two turns of one activation overlapped");
        }

        _inTurn = true;
    }
}

[Reentrant]
public sealed class ReentrantGrain(Probe probe) : Grain, IReentrantGrain
{
    private int _calls;
    private bool _inStretch;

    public async Task<int> TwoStretchesAsync()
    {
        Stretch();
        await Task.Yield();
        Stretch();
        return ++_calls;
    }

    // Turns interleave only at awaits: a stretch of code between them never meets another one.
    private void Stretch()
    {
        if (_inStretch)
        {
            throw new InvalidOperationException("grain code ran on two threads at once");
        }

        _inStretch = true;
        Thread.SpinWait(200);
        _inStretch = false;
    }

    public async Task<int> WaitAsync()
    {
        probe.Enter();
        try
        {
            var mine = ++_calls;
            await probe.Gate.Task;
            return mine;
        }
        finally
        {
            probe.Leave();
        }
    }
}

/// <summary>A grain that calls other grains of its silo: such calls may run the callee's turn on the caller's thread.</summary>
[Alias("tests.relay")]
public interface IRelayGrain : IGrainWithStringKey
{
    /// <summary>Adds 1 to the counter <paramref name="times"/> times, one call after another; returns the last value.</summary>
    Task<int> AddManyAsync(string counter, int times);

    Task<int> WaitThenAddAsync(string counter);

    /// <summary>Calls the reentrant grain's TwoStretchesAsync <paramref name="times"/> times, one after another.</summary>
    Task<int> StretchManyAsync(string reentrant, int times);

    /// <summary>Calls relay "chain-(depth-1)", which calls the next, down to 0; returns how many relays took part.</summary>
    Task<int> ChainAsync(int depth);

    /// <summary>The message of the counter's FailAsync, caught in this grain.</summary>
    Task<string> CatchAsync(string counter, string message);

    /// <summary>Calls the counter's HangAsync and returns without waiting for it.</summary>
    Task StartHangingAsync(string counter);

    /// <summary>What became of the call <see cref="StartHangingAsync"/> made.</summary>
    Task<string> HangingOutcomeAsync();
}

public sealed class RelayGrain : Grain, IRelayGrain
{
    private Task? _hanging;

    public async Task<int> AddManyAsync(string counter, int times)
    {
        var grain = GrainFactory.GetGrain<ICounterGrain>(counter);
        var last = 0;
        for (var i = 0; i < times; i++)
        {
            last = await grain.AddAsync(1);
        }

        return last;
    }

    public async Task<int> StretchManyAsync(string reentrant, int times)
    {
        var grain = GrainFactory.GetGrain<IReentrantGrain>(reentrant);
        var last = 0;
        for (var i = 0; i < times; i++)
        {
            last = Math.Max(last, await grain.TwoStretchesAsync());
        }

        return last;
    }

    public Task<int> WaitThenAddAsync(string counter) => GrainFactory.GetGrain<ICounterGrain>(counter).WaitThenAddAsync(1);

    public async Task<int> ChainAsync(int depth)
        => depth == 0 ? 1 : 1 + await GrainFactory.GetGrain<IRelayGrain>("chain-" + (depth - 1)).ChainAsync(depth - 1);

    public async Task<string> CatchAsync(string counter, string message)
    {
        try
        {
            await GrainFactory.GetGrain<ICounterGrain>(counter).FailAsync(message);
            return "no exception";
        }
        catch (ArgumentException ex)
        {
            return ex.Message;
        }
    }

    public Task StartHangingAsync(string counter)
    {
        _hanging = GrainFactory.GetGrain<ICounterGrain>(counter).HangAsync();
        return Task.CompletedTask;
    }

    public async Task<string> HangingOutcomeAsync()
    {
        try
        {
            await _hanging!;
            return "completed";
        }
        catch (GrainCallTimeoutException ex)
        {
            return ex.Message;
        }
    }
}

[Alias("tests.slow")]
public interface ISlowGrain : IGrainWithStringKey
{
    Task<string> WaitForCancelAsync(CancellationToken cancellationToken);

    Task<string> WhereAsync();
}

public sealed class SlowGrain(Probe probe) : Grain, ISlowGrain
{
    public async Task<string> WaitForCancelAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return "not cancelled";
        }
        catch (OperationCanceledException)
        {
            probe.Events.Enqueue("cancelled " + GetPrimaryKeyString());
            throw;
        }
    }

    public Task<string> WhereAsync() => Task.FromResult(GetPrimaryKeyString());
}

[Alias("tests.local")]
public interface ILocalGrain : IGrainWithStringKey
{
    Task<int> TouchAsync();
}

[Alias("tests.pinned")]
public interface IPinnedGrain : IGrainWithStringKey
{
    Task<int> TouchAsync();
}

[PreferLocalPlacement]
public sealed class LocalGrain : Grain, ILocalGrain
{
    private int _touches;

    public Task<int> TouchAsync() => Task.FromResult(++_touches);
}

[DirectoryPlacement]
public sealed class PinnedGrain : Grain, IPinnedGrain
{
    private int _touches;

    public Task<int> TouchAsync() => Task.FromResult(++_touches);
}

public interface IChatObserver : IGrainObserver
{
    Task<string> ReceiveAsync(string message);

    [OneWay]
    Task NoticeAsync(string message);
}

[Alias("tests.chat")]
public interface IChatGrain : IGrainWithStringKey
{
    Task SubscribeAsync(IChatObserver observer);

    Task<List<string>> PublishAsync(string message);
}

public sealed class ChatGrain : Grain, IChatGrain
{
    private readonly List<IChatObserver> _subscribers = [];

    public Task SubscribeAsync(IChatObserver observer)
    {
        _subscribers.Add(observer);
        return Task.CompletedTask;
    }

    public async Task<List<string>> PublishAsync(string message)
    {
        var replies = new List<string>();
        foreach (var subscriber in _subscribers)
        {
            replies.Add(await subscriber.ReceiveAsync(message));
            await subscriber.NoticeAsync(message);
        }

        return replies;
    }
}

public sealed class ChatObserver(string name) : IChatObserver
{
    public List<string> Received { get; } = [];

    public TaskCompletionSource<string> Noticed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<string> ReceiveAsync(string message)
    {
        lock (Received)
        {
            Received.Add(message);
        }

        return Task.FromResult($"{name} got {message}");
    }

    public Task NoticeAsync(string message)
    {
        Noticed.TrySetResult(message);
        return Task.CompletedTask;
    }
}
