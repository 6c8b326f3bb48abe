using Efflux.Runtime.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Efflux.Runtime.Tests;

/// <summary>One silo in process: activation, turn scheduling and reentrancy, errors, timeouts, idle collection, timers and shutdown.</summary>
public sealed class SiloTests : IAsyncLifetime
{
    private readonly ManualTimeProvider _time = new();
    private readonly Probe _probe = new();
    private IHost _host = null!;
    private IGrainFactory _grains = null!;

    public async Task InitializeAsync()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddSingleton<TimeProvider>(_time);
        builder.Services.AddSingleton(_probe);
        builder.UseEffluxSilo(o =>
        {
            o.CallTimeout = TimeSpan.FromSeconds(5);
            o.IdleCollectionAge = TimeSpan.FromMinutes(10);
            o.IdleCollectionInterval = TimeSpan.FromMinutes(1);
            o.DeactivationTimeout = TimeSpan.FromSeconds(10);
            o.MaxWaitingCallsPerActivation = 500;
        });
        _host = builder.Build();
        await _host.StartAsync();
        _grains = _host.Services.GetRequiredService<IGrainFactory>();
    }

    public async Task DisposeAsync()
    {
        _probe.Gate.TrySetResult();
        await _host.StopAsync();
        _host.Dispose();
    }

    [Fact]
    public async Task NonReentrant_ConcurrentCalls_RunOneTurnAtATime()
    {
        var grain = _grains.GetGrain<ICounterGrain>("serial");
        var calls = Enumerable.Range(1, 20).Select(_ => grain.WaitThenAddAsync(1)).ToList();
        await Eventually.WaitUntil(() => _probe.MaxConcurrent >= 1);
        await Task.Delay(50);
        Assert.Equal(1, _probe.MaxConcurrent);
        _probe.Gate.TrySetResult();
        var results = await Task.WhenAll(calls);
        Assert.Equal(Enumerable.Range(1, 20), results.Order());
        Assert.Equal(1, _probe.MaxConcurrent);
    }

    [Fact]
    public async Task Reentrant_ConcurrentCalls_InterleaveAtAwaits()
    {
        var grain = _grains.GetGrain<IReentrantGrain>("re");
        var calls = Enumerable.Range(0, 5).Select(_ => grain.WaitAsync()).ToList();
        await Eventually.WaitUntil(() => _probe.MaxConcurrent == 5);
        _probe.Gate.TrySetResult();
        var order = (await Task.WhenAll(calls)).Order().ToList();
        Assert.Equal([1, 2, 3, 4, 5], order);
    }

    [Fact]
    public async Task ReadOnly_InterleaveWithEachOtherButNotWithWrites()
    {
        var grain = _grains.GetGrain<ICounterGrain>("ro");
        var reads = Enumerable.Range(0, 3).Select(_ => grain.PeekSlowlyAsync()).ToList();
        await Eventually.WaitUntil(() => _probe.MaxConcurrent == 3);
        var write = grain.AddAsync(5);
        await Task.Delay(50);
        Assert.False(write.IsCompleted, "a write ran while read-only calls were inside");
        _probe.Gate.TrySetResult();
        var values = await Task.WhenAll(reads);
        Assert.Equal([0, 0, 0], values);
        Assert.Equal(5, await write);
    }

    [Fact]
    public async Task AlwaysInterleave_RunsWhileAnOrdinaryCallWaits()
    {
        var grain = _grains.GetGrain<ICounterGrain>("ai");
        await grain.AddAsync(7);
        var blocked = grain.WaitThenAddAsync(1);
        await Eventually.WaitUntil(() => _probe.MaxConcurrent == 1);
        Assert.Equal(7, await grain.StatusAsync());
        Assert.False(blocked.IsCompleted);
        _probe.Gate.TrySetResult();
        Assert.Equal(8, await blocked);
    }

    [Fact]
    public async Task GrainCalls_FromManyGrainsOnManyThreads_ToOneGrain_NeverOverlap()
    {
        // Calls made inside a turn may run the callee's turn on the caller's thread; 8 callers on pool threads race for
        // one counter, whose Check throws if two of its turns ever overlap.
        var relays = Enumerable.Range(0, 8).Select(i => _grains.GetGrain<IRelayGrain>("many" + i)).ToList();
        var lasts = await Task.WhenAll(relays.Select(r => Task.Run(() => r.AddManyAsync("shared", 2_000))));
        Assert.Equal(16_000, lasts.Max());
        Assert.Equal(16_001, await _grains.GetGrain<ICounterGrain>("shared").AddAsync(1));
    }

    [Fact]
    public async Task GrainCalls_AndOutsideCalls_Racing_ToOneGrain_AllRunOnceAndNoneIsStranded()
    {
        // Grain callers claim the idle callee's scheduler on their own threads while outside callers queue to it: a turn
        // queued just as a claim is given up must still run (a lost wake-up would leave its caller waiting forever).
        var relays = Enumerable.Range(0, 6).Select(i => _grains.GetGrain<IRelayGrain>("mixed" + i)).ToList();
        var counter = _grains.GetGrain<ICounterGrain>("mixed");
        var inside = relays.Select(r => Task.Run(() => r.AddManyAsync("mixed", 2_000)));
        var outside = Enumerable.Range(0, 6).Select(_ => Task.Run(async () =>
        {
            for (var i = 0; i < 500; i++)
            {
                await counter.AddAsync(1);
            }
        }));
        await Task.WhenAll(inside.Concat(outside)).WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(15_001, await counter.AddAsync(1));
    }

    [Fact]
    public async Task GrainCalls_FromManyGrainsOnManyThreads_ToOneReentrantGrain_NeverRunItsCodeOnTwoThreads()
    {
        // Reentrant turns interleave at awaits; a turn started on a caller's thread must still wait while a continuation
        // of another turn runs on the grain's scheduler.
        var relays = Enumerable.Range(0, 8).Select(i => _grains.GetGrain<IRelayGrain>("stretch" + i)).ToList();
        var lasts = await Task.WhenAll(relays.Select(r => Task.Run(() => r.StretchManyAsync("stretched", 500))));
        Assert.Equal(4_000, lasts.Max());
    }

    [Fact]
    public async Task GrainCalls_ThatWait_QueueBehindTheTurnInside()
    {
        var relays = Enumerable.Range(0, 6).Select(i => _grains.GetGrain<IRelayGrain>("wait" + i)).ToList();
        var calls = relays.Select(r => r.WaitThenAddAsync("gated")).ToList();
        await Eventually.WaitUntil(() => _probe.MaxConcurrent >= 1);
        await Task.Delay(50);
        Assert.Equal(1, _probe.MaxConcurrent);
        _probe.Gate.TrySetResult();
        Assert.Equal([1, 2, 3, 4, 5, 6], (await Task.WhenAll(calls)).Order());
        Assert.Equal(1, _probe.MaxConcurrent);
    }

    [Fact]
    public async Task GrainCalls_NestedDeeperThanOneThreadRuns_AllComplete()
    {
        Assert.Equal(41, await _grains.GetGrain<IRelayGrain>("chain-40").ChainAsync(40));
        Assert.Equal(41, await _grains.GetGrain<IRelayGrain>("chain-40").ChainAsync(40));
    }

    [Fact]
    public async Task GrainCall_ToAGrainThatThrows_ReachesTheCallingGrain()
    {
        Assert.Equal("no luck", await _grains.GetGrain<IRelayGrain>("catch").CatchAsync("thrower", "no luck"));
        Assert.Equal(1, await _grains.GetGrain<ICounterGrain>("thrower").AddAsync(1));
    }

    [Fact]
    public async Task GrainCall_FromAGrain_WithoutResponse_TimesOut()
    {
        // The target is active and idle first, so the relay's call runs its turn on the relay's thread, and is still
        // pending when the dispatch returns.
        Assert.Equal(1, await _grains.GetGrain<ICounterGrain>("hang-target").AddAsync(1));
        var relay = _grains.GetGrain<IRelayGrain>("hang-relay");
        await relay.StartHangingAsync("hang-target");
        _time.Advance(TimeSpan.FromSeconds(6));
        Assert.Contains("HangAsync on tests.counter/hang-target got no response", await relay.HangingOutcomeAsync(), StringComparison.Ordinal);

        // The hanging turn never ends: shutdown gives up on it after the deactivation timeout.
        var stop = _host.StopAsync();
        await Task.Delay(50);
        _time.Advance(TimeSpan.FromSeconds(11));
        await stop;
    }

    [Fact]
    public async Task Exception_ReachesTheCaller_AndTheActivationLivesOn()
    {
        var grain = _grains.GetGrain<ICounterGrain>("err");
        await grain.AddAsync(3);
        var ex = await Assert.ThrowsAsync<ArgumentException>(() => grain.FailAsync("bad amount"));
        Assert.Equal("bad amount", ex.Message);
        Assert.Equal(4, await grain.AddAsync(1));
        Assert.Equal(1, _probe.Activations);
    }

    [Fact]
    public async Task Call_WithoutResponse_TimesOutWithAClearError()
    {
        var grain = _grains.GetGrain<ICounterGrain>("hang");
        var call = grain.HangAsync();
        await Eventually.WaitUntil(() => _probe.Activations == 1);
        _time.Advance(TimeSpan.FromSeconds(6));
        var ex = await Assert.ThrowsAsync<GrainCallTimeoutException>(() => call);
        Assert.Contains("tests.counter.HangAsync on tests.counter/hang", ex.Message, StringComparison.Ordinal);

        // The turn never ends: shutdown waits the deactivation timeout, then deactivates the grain anyway.
        var stop = _host.StopAsync();
        await Task.Delay(50);
        Assert.False(stop.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(11));
        await stop;
        Assert.Equal(1, _probe.Deactivations);
    }

    [Fact]
    public async Task FirstCalls_Racing_CreateOneActivation()
    {
        var grain = _grains.GetGrain<ICounterGrain>("race");
        var results = await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => Task.Run(() => grain.AddAsync(1))));
        Assert.Equal(200, results.Max());
        Assert.Equal(1, _probe.Activations);
    }

    [Fact]
    public async Task IdleActivation_IsCollected_AndComesBackFresh()
    {
        var grain = _grains.GetGrain<ICounterGrain>("idle");
        Assert.Equal(5, await grain.AddAsync(5));
        _time.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(0, _probe.Deactivations);
        _time.Advance(TimeSpan.FromMinutes(6));
        await Eventually.WaitUntil(() => _probe.Deactivations == 1);
        Assert.Contains("deactivate idle IdleCollection value=5", _probe.Events);
        Assert.Equal(1, await grain.AddAsync(1));
        Assert.Equal(2, _probe.Activations);
    }

    [Fact]
    public async Task DeactivateOnIdle_NextCallGetsANewActivation()
    {
        var grain = _grains.GetGrain<ICounterGrain>("leave");
        await grain.AddAsync(2);
        await grain.LeaveAsync();
        await Eventually.WaitUntil(() => _probe.Deactivations == 1);
        Assert.Equal(1, await grain.AddAsync(1));
        Assert.Equal(2, _probe.Activations);
    }

    [Fact]
    public async Task Timer_TicksAreTurnsOfTheActivation()
    {
        var grain = _grains.GetGrain<ICounterGrain>("timer");
        await grain.StartTimerAsync(TimeSpan.FromSeconds(1));
        for (var i = 0; i < 3; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            var expected = "tick " + (i + 1);
            await Eventually.WaitUntil(() => _probe.Events.Contains(expected));
        }

        Assert.Equal(13, await grain.AddAsync(10));
    }

    [Fact]
    public async Task UnknownGrainClass_FailsWithAClearError()
    {
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => _grains.GetGrain<IOrphanGrain>("x").PingAsync());
        Assert.Contains("No grain class for grain type 'tests.orphan'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Shutdown_DrainsQueuedCalls_DeactivatesEverything_ThenRefusesCalls()
    {
        var grains = Enumerable.Range(0, 10).Select(i => _grains.GetGrain<ICounterGrain>("stop" + i)).ToList();
        await Task.WhenAll(grains.Select(g => g.AddAsync(1)));
        var blocked = grains[0].WaitThenAddAsync(1);
        var queued = grains[0].AddAsync(100);
        await Eventually.WaitUntil(() => _probe.MaxConcurrent == 1);
        var stop = _host.StopAsync();
        await Task.Delay(50);
        Assert.False(stop.IsCompleted, "the silo stopped while a call was still running");
        _probe.Gate.TrySetResult();
        await stop;
        Assert.Equal(2, await blocked);
        Assert.Equal(102, await queued);
        Assert.Equal(10, _probe.Deactivations);
        Assert.Contains("deactivate stop0 ShuttingDown value=102", _probe.Events);
        await Assert.ThrowsAsync<SiloUnavailableException>(() => _grains.GetGrain<ICounterGrain>("late").AddAsync(1));
    }

    [Fact]
    public async Task Backlog_BeyondTheLimit_IsRefusedAtOnce()
    {
        var grain = _grains.GetGrain<ICounterGrain>("busy");
        var running = grain.WaitThenAddAsync(1);
        await Eventually.WaitUntil(() => _probe.MaxConcurrent == 1);
        var waiting = Enumerable.Range(0, 500).Select(_ => grain.AddAsync(1)).ToList();
        var ex = await Assert.ThrowsAsync<GrainOverloadedException>(() => grain.AddAsync(1));
        Assert.Contains("500 calls waiting", ex.Message, StringComparison.Ordinal);
        _probe.Gate.TrySetResult();
        await running;
        Assert.Equal(501, (await Task.WhenAll(waiting)).Max());
    }
}
