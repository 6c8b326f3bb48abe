using System.Collections.Concurrent;
using Efflux.Runtime.GrainDirectory;
using Efflux.Runtime.Invocation;
using Efflux.Runtime.Membership;
using Efflux.Runtime.Networking;
using Microsoft.Extensions.Logging;

namespace Efflux.Runtime.Calls;

/// <summary>
/// A silo's calls: each goes to the silo the placement picks (this one: the local catalog; another: its connection).
/// Calls arriving from clients or silos come in here too and are run or forwarded the same way, so every silo is a
/// gateway. A call that could not be sent (the silo refuses connections) is retried on a fresh view of the cluster;
/// one that was sent and lost is not, since it may have run. Thread-safe.
/// </summary>
internal sealed class ClusterCallInvoker(LocalCallInvoker local, MembershipView view, DirectoryPlacement directory, SiloTime time, ILogger<ClusterCallInvoker> log) : IGrainCallInvoker, IInboundCalls, IObserverHost
{
    private const int Attempts = 3;
    private const string ClientHello = "client:";

    private readonly ObserverRegistry _observers = new();

    // Clients connected to this silo as their gateway, by client id: observer calls to them go down these connections.
    private readonly ConcurrentDictionary<string, Connection> _clients = new(StringComparer.Ordinal);

    /// <summary>Connections to the other silos (set when the silo starts with a port).</summary>
    public ConnectionManager? Connections { get; set; }

    public IGrainCallInvoker References => this;

    public ObserverReference<TObserver> CreateReference<TObserver>(TObserver observer)
        where TObserver : class, IGrainObserver
        => _observers.Create(observer, view.Self?.Endpoint ?? "local", "s", this);

    public Task<TResult> InvokeAsync<TResult>(GrainId target, GrainRequest<TResult> request)
    {
        if (target.Type == ObserverRegistry.GrainType)
        {
            return InvokeObserverAsync(target, request);
        }

        return IsKnownLocal(target) ? local.InvokeAsync(target, request) : InvokeRemoteAsync(target, request);
    }

    /// <summary>
    /// The common cases, decided without an await: a silo without a port, a hash-placed grain of this silo, or a
    /// directory-placed grain already known to be pinned here.
    /// </summary>
    private bool IsKnownLocal(GrainId target)
    {
        if (view.Self is not { } self)
        {
            return true;
        }

        return GrainInterfaces.ClassOf(target.Type)?.Placement switch
        {
            null or Placement.Hash => view.PlacementOf(target) is { } owner && owner == self,
            Placement.Directory => directory.IsPinnedTo(target, self),
            _ => false,
        };
    }

    /// <summary>
    /// True for a hash-placed grain that the current view places on another silo, while this silo is active in it (a
    /// leaving silo deactivates everything anyway).
    /// </summary>
    public bool BelongsElsewhere(GrainId grainId)
        => view.Self is { } self
            && GrainInterfaces.ClassOf(grainId.Type)?.Placement is Placement.Hash
            && view.PlacementOf(grainId) is { } owner && owner != self
            && view.Active.Contains(self);

    private async Task<TResult> InvokeRemoteAsync<TResult>(GrainId target, GrainRequest<TResult> request)
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
                connection = await Connections.GetAsync(owner.ToString()).ConfigureAwait(false);
            }
            catch (SiloUnavailableException) when (attempt < Attempts)
            {
                // Not sent: safe to place again once the view has caught up with the cluster.
                await view.RefreshAsync(CancellationToken.None).ConfigureAwait(false);
                continue;
            }

            try
            {
                return await connection.CallAsync(target, request, time.CallTimeout, time.Provider).ConfigureAwait(false);
            }
            catch (SiloUnavailableException ex) when (Connection.NotSent(ex) && attempt < Attempts)
            {
                await view.RefreshAsync(CancellationToken.None).ConfigureAwait(false);
            }
        }
    }

    public void InvokeOneWay(GrainId target, GrainRequest request) => _ = SendOneWayAsync(target, request);

    /// <summary>
    /// A call to an observer: run on the object when it lives in this silo, sent down the client's connection when its
    /// client is connected here, else forwarded to the silo that delivers it.
    /// </summary>
    private async Task<TResult> InvokeObserverAsync<TResult>(GrainId target, GrainRequest<TResult> request)
    {
        var (endpoint, owner) = ObserverRegistry.Parse(target.Key);
        if (owner != "s" && _clients.TryGetValue(owner[1..], out var client))
        {
            return await client.CallAsync(target, request, time.CallTimeout, time.Provider).ConfigureAwait(false);
        }

        if (view.Self is null || endpoint == view.Self.Endpoint)
        {
            return owner == "s"
                ? await request.InvokeAsync(_observers.Find(target.Key)).ConfigureAwait(false)
                : throw new SiloUnavailableException($"The client owning observer {target.Key} is not connected.");
        }

        // Only to a member of the cluster: an endpoint that is no silo (or an alias of this one) must not bounce around.
        if (Connections is null || view.Active.FirstOrDefault(s => s.Endpoint == endpoint) is not { } silo)
        {
            throw new SiloUnavailableException($"Observer {target.Key} is delivered by {endpoint}, which is not an active silo.");
        }

        var connection = await Connections.GetAsync(silo.ToString()).ConfigureAwait(false);
        return await connection.CallAsync(target, request, time.CallTimeout, time.Provider).ConfigureAwait(false);
    }

    /// <summary>The grain's silo: from the directory for directory-placed classes, else by hash; null for a silo without a port.</summary>
    private async Task<SiloAddress?> OwnerAsync(GrainId target)
    {
        if (view.Self is not { } self)
        {
            return null;
        }

        return GrainInterfaces.ClassOf(target.Type)?.Placement switch
        {
            Placement.Silo => view.Active.FirstOrDefault(s => s.Endpoint == target.Key)
                ?? throw new SiloUnavailableException($"{target} names silo {target.Key}, which is not active."),
            Placement.Directory or Placement.PreferLocal => await directory.OwnerAsync(target, GrainInterfaces.ClassOf(target.Type)!.Placement, self).ConfigureAwait(false),
            _ => view.PlacementOf(target),
        };
    }

    /// <summary>
    /// A call that came in on a connection: a grain of this silo runs it as a turn that answers the call when it ends;
    /// anything else is forwarded to wherever it lives.
    /// </summary>
    public void Call(GrainId target, GrainRequest request, InboundCall call)
    {
        if (target.Type != ObserverRegistry.GrainType && IsKnownLocal(target))
        {
            local.Dispatch(target, request, call);
            return;
        }

        call.AnswerWhen(request.ForwardAsync(this, target, call.Response));
    }

    public Task OneWayAsync(GrainId target, GrainRequest request)
    {
        InvokeOneWay(target, request);
        return Task.CompletedTask;
    }

    public void Hello(Connection connection, string identity)
    {
        if (identity.StartsWith(ClientHello, StringComparison.Ordinal))
        {
            var id = identity[ClientHello.Length..];
            _clients[id] = connection;

            // Tell the client this silo's own endpoint: its observer references must name it as the cluster knows it.
            if (view.Self is { } self)
            {
                _ = connection.SendHelloAsync(self.ToString());
            }

            _ = connection.Closed.ContinueWith(_ => _clients.TryRemove(new KeyValuePair<string, Connection>(id, connection)), TaskScheduler.Default);
            return;
        }

        if (identity.LastIndexOf('@') > 0)
        {
            Connections?.Adopt(identity, connection);
        }
    }

    private async Task SendOneWayAsync(GrainId target, GrainRequest request)
    {
        try
        {
            if (target.Type == ObserverRegistry.GrainType)
            {
                using var discard = new Serialization.WireWriter(16);
                await request.ForwardAsync(this, target, discard).ConfigureAwait(false);
                return;
            }

            var owner = await OwnerAsync(target).ConfigureAwait(false);
            if (owner is null || Connections is null || owner == view.Self)
            {
                local.InvokeOneWay(target, request);
                return;
            }

            var connection = await Connections.GetAsync(owner.ToString()).ConfigureAwait(false);
            await connection.SendOneWayAsync(target, request).ConfigureAwait(false);
        }
        catch (SiloUnavailableException ex)
        {
            log.OneWayFailed(ex, request.MethodName, target);
        }
    }
}
