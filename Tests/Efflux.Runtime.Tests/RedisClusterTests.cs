using System.Diagnostics;
using Efflux.Runtime.Client;
using Efflux.Runtime.Membership;
using Efflux.Runtime.Redis;
using Efflux.Tests.Shared;
using StackExchange.Redis;

namespace Efflux.Runtime.Tests;

/// <summary>
/// Redis membership against a real redis-server: atomic conditional updates, and silo processes (Tests/Efflux.Runtime.SiloHost)
/// that are SIGKILLed or lose Redis for a while.
/// </summary>
public sealed class RedisClusterTests : IAsyncLifetime
{
    private readonly string _state = Path.Combine(Path.GetTempPath(), "efflux-redis-state-" + Guid.NewGuid().ToString("N"));
    private readonly string _cluster = "c" + Guid.NewGuid().ToString("N")[..8];
    private readonly List<(Process Process, int Port)> _silos = [];
    private RedisServer _redis = null!;

    public async Task InitializeAsync() => _redis = await RedisServer.StartAsync();

    public Task DisposeAsync()
    {
        foreach (var (process, _) in _silos)
        {
            if (!process.HasExited)
            {
                process.Kill();
            }

            process.Dispose();
        }

        _redis.Dispose();
        if (Directory.Exists(_state))
        {
            Directory.Delete(_state, recursive: true);
        }

        return Task.CompletedTask;
    }

    [Fact]
    public async Task Table_ConcurrentConditionalUpdates_LoseNothing_AndTheDeadStayDead()
    {
        using var redis = await ConnectionMultiplexer.ConnectAsync(_redis.Configuration);
        var table = new RedisMembershipTable(redis, _cluster);
        var now = DateTimeOffset.UtcNow;
        var silos = Enumerable.Range(0, 8).Select(i => new SiloAddress("127.0.0.1", 2000 + i, 1)).ToList();
        await Task.WhenAll(silos.Select(s => table.SetStatusAsync(s, SiloStatus.Active, now, CancellationToken.None)));
        var suspect = silos[0];
        await Task.WhenAll(silos.Skip(1).Take(6).Select(voter => table.SuspectAsync(suspect, voter, votesForDeath: 10, CancellationToken.None)));

        var rows = await table.ReadAllAsync(CancellationToken.None);
        Assert.Equal(8, rows.Count);
        Assert.Equal(6, rows[suspect].Suspicions.Count);
        Assert.Equal(SiloStatus.Active, rows[suspect].Status);

        Assert.Equal(SiloStatus.Dead, await table.SuspectAsync(suspect, silos[7], votesForDeath: 7, CancellationToken.None));
        Assert.False(await table.SetStatusAsync(suspect, SiloStatus.Active, now, CancellationToken.None));
        Assert.False(await table.HeartbeatAsync(suspect, now, CancellationToken.None));
        Assert.Equal(SiloStatus.Dead, (await table.ReadAllAsync(CancellationToken.None))[suspect].Status);
    }

    [Fact]
    public async Task Directory_FirstRegistrationWins_AndOnlyItsOwnerRemovesIt()
    {
        using var redis = await ConnectionMultiplexer.ConnectAsync(_redis.Configuration);
        var directory = new RedisGrainDirectory(redis, _cluster);
        var id = new GrainId("tests.pinned", "p0");
        var winners = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => directory.RegisterAsync(id, $"127.0.0.1:{3000 + i}", CancellationToken.None)));
        Assert.Single(winners.Distinct());
        await directory.UnregisterAsync(id, "127.0.0.1:9", CancellationToken.None);
        Assert.Equal(winners[0], await directory.LookupAsync(id, CancellationToken.None));
        await directory.UnregisterAsync(id, winners[0], CancellationToken.None);
        Assert.Null(await directory.LookupAsync(id, CancellationToken.None));
    }

    [Fact]
    public async Task SigkilledSiloProcess_IsDeclaredDead_AndItsGrainsComeBackElsewhere()
    {
        await StartSiloAsync();
        await StartSiloAsync();
        await using var client = Client();
        var accounts = Enumerable.Range(0, 10).Select(i => client.GetGrain<IAccountGrain>("a" + i)).ToList();
        foreach (var account in accounts)
        {
            await account.DepositAsync(10);
        }

        // Until each silo has seen the other join, a silo places every grain on itself: wait for a spread.
        List<IWhereGrain> where = [];
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        for (var round = 0; ; round++)
        {
            where = [.. Enumerable.Range(0, 20).Select(i => client.GetGrain<IWhereGrain>($"w{round}-{i}"))];
            if ((await Task.WhenAll(where.Select(w => w.ProcessIdAsync()))).Distinct().Count() == 2)
            {
                break;
            }

            Assert.True(DateTime.UtcNow < deadline, "grains never spread over both silos");
            await Task.Delay(300);
        }

        var victim = _silos[0].Process;
        victim.Kill();
        victim.WaitForExit();
        var survivor = _silos[1].Process.Id;

        // Calls fail fast while the survivor still believes in the dead silo, then succeed once it declared it dead.
        foreach (var grain in where)
        {
            Assert.Equal(survivor, await Eventually.Succeeds(() => grain.ProcessIdAsync()));
        }

        foreach (var account in accounts)
        {
            Assert.Equal(15, await account.DepositAsync(5));
        }

        using var redis = await ConnectionMultiplexer.ConnectAsync(_redis.Configuration);
        var rows = await new RedisMembershipTable(redis, _cluster).ReadAllAsync(CancellationToken.None);
        Assert.Equal(SiloStatus.Dead, Assert.Single(rows, r => r.Key.Port == _silos[0].Port).Value.Status);
        Assert.Equal(SiloStatus.Active, Assert.Single(rows, r => r.Key.Port == _silos[1].Port).Value.Status);
    }

    [Fact]
    public async Task RedisDownForAWhile_TheClusterCarriesOnAndRecovers()
    {
        await StartSiloAsync();
        await StartSiloAsync();
        await using var client = Client();
        var account = client.GetGrain<IAccountGrain>("through-outage");
        Assert.Equal(10, await account.DepositAsync(10));

        // Down for longer than the silos' death timeout (5 s), then up for longer than it: every heartbeat in the table
        // is stale when Redis returns, and the silos must not take that for deaths.
        _redis.Kill();
        await Task.Delay(TimeSpan.FromSeconds(6));
        Assert.Equal(15, await account.DepositAsync(5));
        await _redis.RestartAsync();
        await Task.Delay(TimeSpan.FromSeconds(8));

        Assert.All(_silos, s => Assert.False(s.Process.HasExited, "a silo stopped after the outage"));
        Assert.Equal(20, await account.DepositAsync(5));
        using var redis = await ConnectionMultiplexer.ConnectAsync(_redis.Configuration);
        var rows = await new RedisMembershipTable(redis, _cluster).ReadAllAsync(CancellationToken.None);
        Assert.Equal(2, rows.Count(r => r.Value.Status == SiloStatus.Active));
    }

    private ClusterClient Client()
    {
        var options = new ClientOptions { CallTimeout = TimeSpan.FromSeconds(10) };
        foreach (var (_, port) in _silos)
        {
            options.Gateways.Add($"127.0.0.1:{port}");
        }

        return new ClusterClient(options);
    }

    private async Task StartSiloAsync()
    {
        var port = Efflux.Runtime.Testing.LoopbackPort.Free();
        var info = Programs.Dotnet(Programs.Path("Tests/Efflux.Runtime.SiloHost", "Efflux.Runtime.SiloHost"), port.ToString(System.Globalization.CultureInfo.InvariantCulture), _redis.Configuration, _cluster, _state);
        var process = Process.Start(info)!;
        _silos.Add((process, port));
        var ready = new TaskCompletionSource();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data == "ready")
            {
                ready.TrySetResult();
            }
        };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await ready.Task.WaitAsync(TimeSpan.FromSeconds(60));
    }
}
