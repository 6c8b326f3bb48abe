using Efflux.Runtime.GrainDirectory;
using Efflux.Runtime.Invocation;
using Efflux.Runtime.Membership;
using Efflux.Runtime.Networking;
using Efflux.Runtime.Serialization;
using Microsoft.Extensions.Logging;

namespace Efflux.Runtime.Calls;

/// <summary>
/// A silo's calls: each goes to the silo the placement picks (this one: the local catalog; another: its connection).
/// Calls arriving from clients or silos come in here too and are run or forwarded the same way, so every silo is a
/// gateway. A call that could not be sent (the silo refuses connections) is retried on a fresh view of the cluster;
/// one that was sent and lost is not, since it may have run. Thread-safe.
/// </summary>
internal sealed class ClusterCallInvoker(LocalCallInvoker local, MembershipView view, DirectoryPlacement directory, SiloTime time, ILogger<ClusterCallInvoker> log) : IGrainCallInvoker, IInboundCalls
{
    private const int Attempts = 3;

    /// <summary>Connections to the other silos (set when the silo starts with a port).</summary>
    public ConnectionManager? Connections { get; set; }

    public async Task<TResult> InvokeAsync<TResult>(GrainId target, GrainRequest<TResult> request)
    {
        for (var attempt = 1; ; attempt++)
        {
            var owner = await OwnerAsync(target).ConfigureAwait(false);
            if (owner is null || Connections is null || owner == view.Self)
            {
                return await local.InvokeAsync(target, request).ConfigureAwait(false);
            }

            Connection connection;
            try
            {
                connection = await Connections.GetAsync(owner.Endpoint).ConfigureAwait(false);
            }
            catch (SiloUnavailableException) when (attempt < Attempts)
            {
                // Not sent: safe to place again once the view has caught up with the cluster.
                await view.RefreshAsync(CancellationToken.None).ConfigureAwait(false);
                continue;
            }

            return await connection.CallAsync(target, request, time.CallTimeout, time.Provider).ConfigureAwait(false);
        }
    }

    public void InvokeOneWay(GrainId target, GrainRequest request) => _ = SendOneWayAsync(target, request);

    /// <summary>The grain's silo: from the directory for directory-placed classes, else by hash; null for a silo without a port.</summary>
    private async Task<SiloAddress?> OwnerAsync(GrainId target)
    {
        if (view.Self is not { } self)
        {
            return null;
        }

        return GrainInterfaces.ClassOf(target.Type)?.Placement is { } placement and not Placement.Hash
            ? await directory.OwnerAsync(target, placement, self).ConfigureAwait(false)
            : view.PlacementOf(target);
    }

    public Task CallAsync(GrainId target, GrainRequest request, WireWriter result) => request.ForwardAsync(this, target, result);

    public Task OneWayAsync(GrainId target, GrainRequest request)
    {
        InvokeOneWay(target, request);
        return Task.CompletedTask;
    }

    public void Hello(Connection connection, string identity)
    {
        var at = identity.LastIndexOf('@');
        if (at > 0)
        {
            Connections?.Adopt(identity[..at], connection);
        }
    }

    private async Task SendOneWayAsync(GrainId target, GrainRequest request)
    {
        try
        {
            var owner = await OwnerAsync(target).ConfigureAwait(false);
            if (owner is null || Connections is null || owner == view.Self)
            {
                local.InvokeOneWay(target, request);
                return;
            }

            var connection = await Connections.GetAsync(owner.Endpoint).ConfigureAwait(false);
            await connection.SendOneWayAsync(target, request).ConfigureAwait(false);
        }
        catch (SiloUnavailableException ex)
        {
            log.OneWayFailed(ex, request.MethodName, target);
        }
    }
}
