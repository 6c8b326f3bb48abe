using Efflux.Runtime.Storage;
using Efflux.Runtime.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Efflux.Runtime.Tests;

/// <summary>Three silos over real loopback sockets: placement, forwarding, errors across the wire, kill and graceful stop.</summary>
public sealed class ClusterTests : IAsyncLifetime
{
    private readonly Probe _probe = new();
    private readonly MemoryGrainStorage _storage = new();
    private TestCluster _cluster = null!;

    public async Task InitializeAsync()
        => _cluster = await TestCluster.StartAsync(3, services =>
        {
            services.AddSingleton(_probe);
            services.AddKeyedSingleton<IGrainStorage>("store", _storage);
        },
        options => options.DeactivationTimeout = TimeSpan.FromSeconds(2));

    public async Task DisposeAsync()
    {
        _probe.Gate.TrySetResult();
        await _cluster.DisposeAsync();
    }

    [Fact]
    public async Task Grains_SpreadOverSilos_AndAreReachableFromEverySiloAndAClient()
    {
        await using var client = _cluster.CreateClient();
        for (var i = 0; i < 60; i++)
        {
            Assert.Equal(1, await client.GetGrain<ICounterGrain>("g" + i).AddAsync(1));
        }

        Assert.All(_cluster.Silos, s => Assert.InRange(s!.ActivationCount, 5, 55));
        foreach (var silo in _cluster.Silos)
        {
            Assert.Equal(1, await silo!.GrainFactory.GetGrain<ICounterGrain>("g7").AddAsync(0));
        }

        Assert.Equal(60, _probe.Activations);
    }

    [Fact]
    public async Task ManyClients_ConnectingAtOnce_AllHaveTheirFirstCallAnswered()
    {
        var clients = Enumerable.Range(0, 120).Select(_ => _cluster.CreateClient()).ToList();
        try
        {
            var sums = await Task.WhenAll(clients.Select((c, i) => Task.Run(() => c.GetGrain<ICounterGrain>("hello-" + i).AddAsync(i))));
            Assert.Equal(Enumerable.Range(0, 120), sums);
        }
        finally
        {
            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task FirstCalls_RacingFromThreeSilos_MeetAtOneActivation()
    {
        var calls = _cluster.Silos.SelectMany(s => Enumerable.Range(0, 50).Select(_ => Task.Run(() => s!.GrainFactory.GetGrain<ICounterGrain>("contested").AddAsync(1)))).ToList();
        var results = await Task.WhenAll(calls);
        Assert.Equal(150, results.Max());
        Assert.Equal(1, _probe.Activations);
        Assert.Single(_cluster.Silos, s => s!.Hosts(new GrainId("tests.counter", "contested")));
    }

    [Fact]
    public async Task ErrorsTimeoutsAndCancellation_CrossTheWire()
    {
        await using var client = _cluster.CreateClient();
        var counter = client.GetGrain<ICounterGrain>("remote-errors");
        var ex = await Assert.ThrowsAsync<GrainCallException>(() => counter.FailAsync("bad input"));
        Assert.Equal("System.ArgumentException", ex.RemoteType);
        Assert.Equal("bad input", ex.Message);
        Assert.Equal(5, await counter.AddAsync(5));

        await using var impatient = _cluster.CreateClient(callTimeout: TimeSpan.FromSeconds(1));
        Assert.Equal(5, await impatient.GetGrain<ICounterGrain>("remote-errors").StatusAsync());
        var timeout = await Assert.ThrowsAsync<GrainCallTimeoutException>(() => impatient.GetGrain<ICounterGrain>("remote-errors").HangAsync());
        Assert.Contains("tests.counter.HangAsync", timeout.Message, StringComparison.Ordinal);

        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.GetGrain<ISlowGrain>("cancel-me").WaitForCancelAsync(cts.Token));
        await Eventually.WaitUntil(() => _probe.Events.Contains("cancelled cancel-me"));
    }

    [Fact]
    public async Task KilledSilo_ItsGrainsComeBackElsewhere_WithTheirPersistedState()
    {
        await using var client = _cluster.CreateClient();
        var accounts = Enumerable.Range(0, 12).Select(i => client.GetGrain<IAccountGrain>("acct" + i)).ToList();
        foreach (var account in accounts)
        {
            await account.DepositAsync(10);
        }

        var victim = Enumerable.Range(0, 3).First(i => Enumerable.Range(0, 12).Any(n => _cluster.Silos[i]!.Hosts(new GrainId("tests.account", "acct" + n))));
        await _cluster.KillAsync(victim);
        foreach (var account in accounts)
        {
            Assert.Equal(15, await account.DepositAsync(5));
        }

        Assert.Null(_cluster.Silos[victim]);
        Assert.Equal(12, _cluster.Silos.OfType<TestSilo>().Sum(s => Enumerable.Range(0, 12).Count(n => s.Hosts(new GrainId("tests.account", "acct" + n)))));

        // Back under the same endpoint: placement returns its grains to it, so the client's gateway and the other silos
        // must connect to it again.
        await _cluster.RestartAsync(victim);
        foreach (var account in accounts)
        {
            Assert.Equal(20, await account.DepositAsync(5));
        }

        Assert.Contains(Enumerable.Range(0, 12), n => _cluster.Silos[victim]!.Hosts(new GrainId("tests.account", "acct" + n)));

        // The activations the other silos made meanwhile of the grains that went back go away: one activation per grain.
        await Eventually.WaitUntil(() => _cluster.Silos.OfType<TestSilo>().Sum(s => Enumerable.Range(0, 12).Count(n => s.Hosts(new GrainId("tests.account", "acct" + n)))) == 12);
    }

    [Fact]
    public async Task GracefulStop_DeactivatesItsGrains_AndTheClusterCarriesOn()
    {
        await using var client = _cluster.CreateClient();
        for (var i = 0; i < 30; i++)
        {
            await client.GetGrain<ICounterGrain>("stop" + i).AddAsync(1);
        }

        var hosted = _cluster.Silos[1]!.ActivationCount;
        Assert.True(hosted > 0);
        await _cluster.StopAsync(1);
        Assert.Equal(hosted, _probe.Deactivations);
        for (var i = 0; i < 30; i++)
        {
            await client.GetGrain<ICounterGrain>("stop" + i).AddAsync(1);
        }

        Assert.Equal(30 + hosted, _probe.Activations);
    }

    [Fact]
    public async Task PreferLocal_PlacesOnTheCallingSilo_AndMovesWhenThatSiloDies()
    {
        var id = new GrainId("tests.local", "near");
        Assert.Equal(1, await _cluster.Silos[2]!.GrainFactory.GetGrain<ILocalGrain>("near").TouchAsync());
        Assert.True(_cluster.Silos[2]!.Hosts(id));
        Assert.Equal(2, await _cluster.Silos[0]!.GrainFactory.GetGrain<ILocalGrain>("near").TouchAsync());
        Assert.Single(_cluster.Silos, s => s!.Hosts(id));

        await _cluster.KillAsync(2);
        Assert.Equal(1, await _cluster.Silos[0]!.GrainFactory.GetGrain<ILocalGrain>("near").TouchAsync());
        Assert.True(_cluster.Silos[0]!.Hosts(id));
    }

    [Fact]
    public async Task DirectoryPlacement_SpreadsByHash_StaysWithItsSilo_FailsFastWhileItIsDown_AndReturnsWithIt()
    {
        // Pinned grains start where the rendezvous hash puts them, whichever silo the first call comes from.
        var homes = new HashSet<int>();
        for (var p = 0; p < 12; p++)
        {
            Assert.Equal(1, await _cluster.Silos[p % 3]!.GrainFactory.GetGrain<IPinnedGrain>("partition-" + p).TouchAsync());
            homes.Add(Enumerable.Range(0, 3).Single(i => _cluster.Silos[i]!.Hosts(new GrainId("tests.pinned", "partition-" + p))));
        }

        Assert.True(homes.Count > 1, "twelve pinned grains all started on one silo");

        var id = new GrainId("tests.pinned", "partition-0");
        var home = Enumerable.Range(0, 3).Single(i => _cluster.Silos[i]!.Hosts(id));
        var caller = (home + 1) % 3;
        await _cluster.KillAsync(home);
        var started = DateTime.UtcNow;
        var ex = await Assert.ThrowsAsync<SiloUnavailableException>(() => _cluster.Silos[caller]!.GrainFactory.GetGrain<IPinnedGrain>("partition-0").TouchAsync());
        Assert.Contains("is not started elsewhere", ex.Message, StringComparison.Ordinal);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(5), "the call did not fail fast");
        Assert.DoesNotContain(_cluster.Silos, s => s is not null && s.Hosts(id));

        await _cluster.RestartAsync(home);
        Assert.Equal(1, await _cluster.Silos[caller]!.GrainFactory.GetGrain<IPinnedGrain>("partition-0").TouchAsync());
        Assert.True(_cluster.Silos[home]!.Hosts(id));
    }

    [Fact]
    public async Task Observers_OfAClientAndOfASilo_AreCalledByAGrainOnAnySilo()
    {
        await using var client = _cluster.CreateClient();
        await client.ConnectAsync();
        var remote = new ChatObserver("client");
        using var remoteReference = client.CreateObjectReference<IChatObserver>(remote);
        var local = new ChatObserver("silo2");
        using var localReference = _cluster.Silos[2]!.GrainFactory.CreateObjectReference<IChatObserver>(local);

        // Chat rooms on every silo: the observers' calls cross silos and come down the client's gateway connection.
        for (var room = 0; room < 6; room++)
        {
            var chat = client.GetGrain<IChatGrain>("room" + room);
            await chat.SubscribeAsync(remoteReference.Reference);
            await _cluster.Silos[2]!.GrainFactory.GetGrain<IChatGrain>("room" + room).SubscribeAsync(localReference.Reference);
            var replies = await chat.PublishAsync("hello " + room);
            Assert.Equal([$"client got hello {room}", $"silo2 got hello {room}"], replies);
        }

        Assert.Equal(6, remote.Received.Count);
        Assert.Equal(6, local.Received.Count);
        Assert.StartsWith("hello", await remote.Noticed.Task.WaitAsync(TimeSpan.FromSeconds(10)), StringComparison.Ordinal);

        // A disposed reference fails the grain's call instead of reaching the object.
        remoteReference.Dispose();
        var ex = await Assert.ThrowsAsync<GrainCallException>(() => client.GetGrain<IChatGrain>("room0").PublishAsync("after"));
        Assert.Equal(typeof(ObjectDisposedException).FullName, ex.RemoteType);
    }

    [Fact]
    public async Task ObserverOfAClient_ThatNamedItsGatewayByAnAlias_IsStillReached()
    {
        var options = new Efflux.Runtime.Client.ClientOptions();
        options.Gateways.Add($"localhost:{_cluster.Silos[0]!.Address.Port}");
        await using var client = new Efflux.Runtime.Client.ClusterClient(options);
        await client.ConnectAsync();
        var observer = new ChatObserver("aliased");
        using var reference = client.CreateObjectReference<IChatObserver>(observer);

        for (var room = 0; room < 6; room++)
        {
            var chat = client.GetGrain<IChatGrain>("alias-room" + room);
            await chat.SubscribeAsync(reference.Reference);
            Assert.Equal([$"aliased got hi {room}"], await chat.PublishAsync("hi " + room));
        }
    }
}
