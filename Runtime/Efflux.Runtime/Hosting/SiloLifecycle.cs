using Efflux.Runtime.Activations;
using Efflux.Runtime.Calls;
using Efflux.Runtime.Membership;
using Efflux.Runtime.Networking;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Efflux.Runtime.Hosting;

/// <summary>
/// Starts and stops the silo with the host. Start: open the silo port, join the membership table as Active. Then every
/// refresh interval: write a heartbeat, suspect peers whose heartbeat is older than the death timeout (enough votes
/// declare them dead), re-read the view and drop connections to silos that left. A silo that finds itself declared
/// dead stops its host: it never serves again under that generation. Stop: announce ShuttingDown (no new grains come
/// here), deactivate every activation (awaiting OnDeactivateAsync), leave as Dead, close the port and the connections.
/// </summary>
internal sealed class SiloLifecycle(
    Catalog catalog,
    ClusterCallInvoker invoker,
    MembershipView view,
    IMembershipTable membership,
    IOptions<SiloOptions> options,
    TimeProvider time,
    IHostApplicationLifetime lifetime,
    ILogger<SiloLifecycle> log) : IHostedService, IAsyncDisposable
{
    private SiloListener? _listener;
    private ConnectionManager? _connections;
    private ITimer? _refresh;

    // 1 while a membership tick runs: a slow table (Redis down) must not pile ticks up.
    private int _ticking;

    // Since when the table has answered without a break: right after an outage every heartbeat in it is stale, so
    // peers are only judged once the table has been reachable for a whole death timeout.
    private DateTimeOffset? _reachableSince;

    /// <summary>This silo, once started with a port.</summary>
    public SiloAddress? Address => view.Self;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        GrainAssemblies.RegisterAll();
        var o = options.Value;
        if (o.Port == 0)
        {
            return;
        }

        var self = new SiloAddress(o.Host, o.Port, time.GetUtcNow().UtcTicks);
        _connections = new ConnectionManager(invoker, log, self.ToString());
        invoker.Connections = _connections;
        _listener = new SiloListener(invoker, log);
        await _listener.StartAsync(o.Host, o.Port, cancellationToken).ConfigureAwait(false);
        view.Self = self;
        await membership.SetStatusAsync(self, SiloStatus.Active, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        await view.RefreshAsync(cancellationToken).ConfigureAwait(false);
        view.Changed += MoveMisplacedGrains;
        _refresh = time.CreateTimer(static state => _ = ((SiloLifecycle)state!).TickAsync(), this, o.MembershipRefreshInterval, o.MembershipRefreshInterval);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (view.Self is { } self)
        {
            await membership.SetStatusAsync(self, SiloStatus.ShuttingDown, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);

            // New grains now go elsewhere, from this silo too.
            await view.RefreshAsync(cancellationToken).ConfigureAwait(false);
        }

        await catalog.DeactivateAllAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        if (view.Self is { } leaving)
        {
            await membership.SetStatusAsync(leaving, SiloStatus.Dead, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        }

        await DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Stops listening and drops every connection at once, as a crash would (TestCluster kills silos this way).</summary>
    public async ValueTask DisposeAsync()
    {
        view.Changed -= MoveMisplacedGrains;
        if (_refresh is not null)
        {
            await _refresh.DisposeAsync().ConfigureAwait(false);
        }

        if (_listener is not null)
        {
            await _listener.DisposeAsync().ConfigureAwait(false);
        }

        if (_connections is not null)
        {
            await _connections.DisposeAsync().ConfigureAwait(false);
        }
    }

    // A silo joined or came back: grains that hash to it now are deactivated here, so each keeps one activation.
    private void MoveMisplacedGrains() => catalog.DeactivateMisplaced(invoker.BelongsElsewhere);

    private async Task TickAsync()
    {
        if (view.Self is not { } self || Interlocked.Exchange(ref _ticking, 1) == 1)
        {
            return;
        }

        var before = view.Active;
        try
        {
            var now = time.GetUtcNow();
            if (!await membership.HeartbeatAsync(self, now, CancellationToken.None).ConfigureAwait(false))
            {
                log.DeclaredDead(self);
                lifetime.StopApplication();
                return;
            }

            _reachableSince ??= now;
            var peers = (await membership.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
                .Where(s => s.Value.Status == SiloStatus.Active && s.Key != self)
                .ToList();
            var judging = now - _reachableSince.Value > options.Value.DeathTimeout;
            foreach (var (peer, entry) in peers)
            {
                if (judging && now - entry.Heartbeat > options.Value.DeathTimeout
                    && await membership.SuspectAsync(peer, self, Math.Min(options.Value.VotesForDeath, peers.Count), CancellationToken.None).ConfigureAwait(false) == SiloStatus.Dead)
                {
                    log.PeerDeclaredDead(peer, now - entry.Heartbeat);
                }
            }

            await view.RefreshAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // The table (Redis) may be down for a while: keep serving with the last view and try again next tick.
            _reachableSince = null;
            log.MembershipRefreshFailed(ex);
            return;
        }
        finally
        {
            Volatile.Write(ref _ticking, 0);
        }

        // Calls waiting on a silo that left fail now instead of at their timeout. Connections are per generation, so a
        // silo restarted at the same endpoint keeps its own.
        foreach (var gone in before.Except(view.Active))
        {
            if (_connections is not null)
            {
                await _connections.DropAsync(gone.ToString()).ConfigureAwait(false);
            }
        }
    }
}
