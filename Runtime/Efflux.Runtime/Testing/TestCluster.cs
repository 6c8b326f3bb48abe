using Efflux.Runtime.Client;
using Efflux.Runtime.GrainDirectory;
using Efflux.Runtime.Hosting;
using Efflux.Runtime.Membership;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Efflux.Runtime.Testing;

/// <summary>
/// Several silos in one process, each a real host listening on its own loopback port, sharing an in-memory membership
/// table. A silo can be stopped gracefully, killed (its port and connections drop at once and the membership declares
/// it dead, as its peers would) and restarted on the same port under a new generation.
/// </summary>
public sealed class TestCluster : IAsyncDisposable
{
    private readonly InMemoryMembershipTable _membership = new();
    private readonly InMemoryGrainDirectory _directory = new();
    private readonly List<TestSilo?> _silos = [];
    private readonly List<int> _ports = [];
    private readonly List<ClusterClient> _clients = [];
    private readonly Action<IServiceCollection>? _services;
    private readonly Action<SiloOptions>? _options;

    private TestCluster(Action<IServiceCollection>? services, Action<SiloOptions>? options)
    {
        _services = services;
        _options = options;
    }

    /// <summary>The silos by index; a stopped or killed silo is null until restarted.</summary>
    public IReadOnlyList<TestSilo?> Silos => _silos;

    /// <summary>The membership table the silos share.</summary>
    public IMembershipTable Membership => _membership;

    /// <summary>Starts <paramref name="count"/> silos; <paramref name="services"/> configures each silo's services.</summary>
    public static async Task<TestCluster> StartAsync(int count, Action<IServiceCollection>? services = null, Action<SiloOptions>? options = null)
    {
        var cluster = new TestCluster(services, options);
        for (var i = 0; i < count; i++)
        {
            cluster._ports.Add(LoopbackPort.Free());
            cluster._silos.Add(await cluster.StartSiloAsync(cluster._ports[i]).ConfigureAwait(false));
        }

        await cluster.RefreshAllAsync().ConfigureAwait(false);
        return cluster;
    }

    /// <summary>A client whose gateways are the silos' ports.</summary>
    public ClusterClient CreateClient(TimeSpan? callTimeout = null)
    {
        var options = new ClientOptions { CallTimeout = callTimeout ?? TimeSpan.FromSeconds(30) };
        foreach (var port in _ports)
        {
            options.Gateways.Add($"127.0.0.1:{port}");
        }

        var client = new ClusterClient(options);
        lock (_clients)
        {
            _clients.Add(client);
        }

        return client;
    }

    /// <summary>Stops a silo gracefully (its grains deactivate first).</summary>
    public async Task StopAsync(int index)
    {
        var silo = _silos[index] ?? throw new InvalidOperationException($"Silo {index} is not running.");
        _silos[index] = null;
        await silo.Host.StopAsync().ConfigureAwait(false);
        await ((IAsyncDisposable)silo.Host).DisposeAsync().ConfigureAwait(false);
        await RefreshAllAsync().ConfigureAwait(false);
        await ClientsDisconnectedAsync(index).ConfigureAwait(false);
    }

    /// <summary>Kills a silo: no deactivation, port and connections drop at once, and it is declared dead.</summary>
    public async Task KillAsync(int index)
    {
        var silo = _silos[index] ?? throw new InvalidOperationException($"Silo {index} is not running.");
        _silos[index] = null;
        await silo.Host.Services.GetRequiredService<SiloLifecycle>().DisposeAsync().ConfigureAwait(false);
        await _membership.SetStatusAsync(silo.Address, SiloStatus.Dead, DateTimeOffset.UtcNow, CancellationToken.None).ConfigureAwait(false);
        await ((IAsyncDisposable)silo.Host).DisposeAsync().ConfigureAwait(false);
        await RefreshAllAsync().ConfigureAwait(false);
        await ClientsDisconnectedAsync(index).ConfigureAwait(false);
    }

    /// <summary>
    /// Waits until every client of this cluster has seen its connection to a silo that went away close, as the other
    /// silos already have: a test's next call then goes to a live gateway instead of racing the socket's end.
    /// </summary>
    private async Task ClientsDisconnectedAsync(int index)
    {
        ClusterClient[] clients;
        lock (_clients)
        {
            clients = [.. _clients];
        }

        var gateway = $"127.0.0.1:{_ports[index]}";
        await Task.WhenAll(clients.Select(c => c.GatewayClosedAsync(gateway))).WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
    }

    /// <summary>Starts a stopped or killed silo again on its port, as a new generation.</summary>
    public async Task RestartAsync(int index)
    {
        if (_silos[index] is not null)
        {
            throw new InvalidOperationException($"Silo {index} is running.");
        }

        _silos[index] = await StartSiloAsync(_ports[index]).ConfigureAwait(false);
        await RefreshAllAsync().ConfigureAwait(false);
    }

    /// <summary>Stops every running silo gracefully.</summary>
    public async ValueTask DisposeAsync()
    {
        for (var i = 0; i < _silos.Count; i++)
        {
            if (_silos[i] is not null)
            {
                await StopAsync(i).ConfigureAwait(false);
            }
        }
    }

    private async Task<TestSilo> StartSiloAsync(int port)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddSingleton<IMembershipTable>(_membership);
        builder.Services.AddSingleton<IGrainDirectory>(_directory);
        _services?.Invoke(builder.Services);
        builder.UseEffluxSilo(o =>
        {
            _options?.Invoke(o);
            o.Port = port;
            o.Host = "127.0.0.1";
        });
        var host = builder.Build();
        await host.StartAsync().ConfigureAwait(false);
        return new TestSilo(host);
    }

    /// <summary>Every silo re-reads the membership now, so tests need not wait for the refresh timer.</summary>
    private async Task RefreshAllAsync()
    {
        foreach (var silo in _silos.OfType<TestSilo>())
        {
            await silo.Host.Services.GetRequiredService<MembershipView>().RefreshAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }
}
