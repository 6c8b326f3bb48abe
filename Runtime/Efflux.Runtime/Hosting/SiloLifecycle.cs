using Efflux.Runtime.Activations;
using Efflux.Runtime.Calls;
using Efflux.Runtime.Membership;
using Efflux.Runtime.Networking;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Efflux.Runtime.Hosting;

/// <summary>
/// Starts and stops the silo with the host. Start: open the silo port, join the membership table as Active, keep the
/// view fresh. Stop: announce ShuttingDown (no new grains come here), deactivate every activation (awaiting
/// OnDeactivateAsync), leave as Dead, close the port and the connections.
/// </summary>
internal sealed class SiloLifecycle(
    Catalog catalog,
    ClusterCallInvoker invoker,
    MembershipView view,
    IMembershipTable membership,
    IOptions<SiloOptions> options,
    TimeProvider time,
    ILogger<SiloLifecycle> log) : IHostedService, IAsyncDisposable
{
    private SiloListener? _listener;
    private ConnectionManager? _connections;
    private ITimer? _refresh;

    /// <summary>This silo, once started with a port.</summary>
    public SiloAddress? Address => view.Self;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
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
        await membership.SetStatusAsync(self, SiloStatus.Active, cancellationToken).ConfigureAwait(false);
        await view.RefreshAsync(cancellationToken).ConfigureAwait(false);
        _refresh = time.CreateTimer(static state => _ = ((SiloLifecycle)state!).RefreshAsync(), this, o.MembershipRefreshInterval, o.MembershipRefreshInterval);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (view.Self is { } self)
        {
            await membership.SetStatusAsync(self, SiloStatus.ShuttingDown, cancellationToken).ConfigureAwait(false);

            // New grains now go elsewhere, from this silo too.
            await view.RefreshAsync(cancellationToken).ConfigureAwait(false);
        }

        await catalog.DeactivateAllAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        if (view.Self is { } leaving)
        {
            await membership.SetStatusAsync(leaving, SiloStatus.Dead, cancellationToken).ConfigureAwait(false);
        }

        await DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Stops listening and drops every connection at once, as a crash would (TestCluster kills silos this way).</summary>
    public async ValueTask DisposeAsync()
    {
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

    private async Task RefreshAsync()
    {
        var before = view.Active;
        try
        {
            await view.RefreshAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            log.MembershipRefreshFailed(ex);
            return;
        }

        // Calls waiting on a silo that left fail now instead of at their timeout.
        foreach (var gone in before.Except(view.Active))
        {
            if (_connections is not null)
            {
                await _connections.DropAsync(gone.Endpoint).ConfigureAwait(false);
            }
        }
    }
}
