using Efflux.Runtime.Calls;
using Efflux.Runtime.Invocation;
using Efflux.Runtime.Networking;
using Efflux.Runtime.Serialization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Efflux.Runtime.Client;

/// <summary>
/// A client of a cluster: every call goes to a gateway silo over the runtime transport, which runs it or forwards it to
/// the grain's silo. When a gateway stops accepting connections the next one is used. Thread-safe.
/// </summary>
public sealed class ClusterClient : IClusterClient, IGrainCallInvoker, IObserverHost, IAsyncDisposable
{
    private readonly string _id = Guid.NewGuid().ToString("N");
    private readonly ObserverRegistry _observers = new();
    private readonly ClientOptions _options;
    private readonly TimeProvider _time;
    private readonly ConnectionManager _connections;
    private readonly GrainFactory _factory;
    private readonly TaskCompletionSource _introduced = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _gateway;

    // The gateway's endpoint as the cluster knows it (from its hello), which observer references must name.
    private volatile string? _gatewayEndpoint;

    /// <summary>Creates a client; it connects on first use or in <see cref="ConnectAsync"/>.</summary>
    public ClusterClient(ClientOptions options, TimeProvider? time = null, ILogger<ClusterClient>? log = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Gateways.Count == 0)
        {
            throw new ArgumentException("A client needs at least one gateway endpoint (host:port).", nameof(options));
        }

        _options = options;
        _time = time ?? TimeProvider.System;
        _connections = new ConnectionManager(new ObserverCalls(this), log ?? NullLogger<ClusterClient>.Instance, identity: "client:" + _id);
        _factory = new GrainFactory(this, this);
    }

    /// <inheritdoc />
    public bool IsConnected { get; private set; }

    /// <summary>Connects to the first gateway that answers and waits for it to introduce itself.</summary>
    /// <exception cref="SiloUnavailableException">No gateway accepts connections.</exception>
    public async Task ConnectAsync()
    {
        await GatewayAsync().ConfigureAwait(false);
        await _introduced.Task.WaitAsync(_options.CallTimeout, _time).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public TGrain GetGrain<TGrain>(string key)
        where TGrain : IGrainWithStringKey
        => _factory.GetGrain<TGrain>(key);

    /// <inheritdoc />
    public TGrain GetGrain<TGrain>(Guid key)
        where TGrain : IGrainWithGuidKey
        => _factory.GetGrain<TGrain>(key);

    /// <summary>
    /// A reference through which grains call <paramref name="observer"/> in this process; calls come down the current
    /// gateway's connection (create references after <see cref="ConnectAsync"/>; they end if that gateway goes).
    /// </summary>
    public ObserverReference<TObserver> CreateObjectReference<TObserver>(TObserver observer)
        where TObserver : class, IGrainObserver
        => _observers.Create(observer, _gatewayEndpoint ?? _options.Gateways[Volatile.Read(ref _gateway)], "c" + _id, this);

    ObserverReference<TObserver> IObserverHost.CreateReference<TObserver>(TObserver observer) => CreateObjectReference(observer);

    /// <summary>Completes when this client's connection to <paramref name="gateway"/> has closed (at once when it has none).</summary>
    internal Task GatewayClosedAsync(string gateway) => _connections.ClosedAsync(gateway);

    /// <inheritdoc />
    public Task<TResult> InvokeAsync<TResult>(GrainId target, GrainRequest<TResult> request)
    {
        ArgumentNullException.ThrowIfNull(request);

        // The common case, without an await: the current gateway's connection is open and takes the frame now.
        return _connections.TryGetOpen(_options.Gateways[Volatile.Read(ref _gateway)], out var open)
            && open.TryCall(target, request, _options.CallTimeout, _time, out var completion)
            ? completion
            : InvokeThroughGatewaysAsync(target, request);
    }

    private async Task<TResult> InvokeThroughGatewaysAsync<TResult>(GrainId target, GrainRequest<TResult> request)
    {
        for (var attempt = 1; ; attempt++)
        {
            var connection = await GatewayAsync().ConfigureAwait(false);
            try
            {
                return await connection.CallAsync(target, request, _options.CallTimeout, _time).ConfigureAwait(false);
            }
            catch (SiloUnavailableException ex) when (Connection.NotSent(ex) && attempt < _options.Gateways.Count + 1)
            {
                // The gateway's connection was closing and the call never left: the next gateway takes it.
            }
        }
    }

    /// <inheritdoc />
    public void InvokeOneWay(GrainId target, GrainRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        _ = SendOneWayAsync(target, request);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        IsConnected = false;
        await _connections.DisposeAsync().ConfigureAwait(false);
    }

    private async Task SendOneWayAsync(GrainId target, GrainRequest request)
    {
        try
        {
            var connection = await GatewayAsync().ConfigureAwait(false);
            await connection.SendOneWayAsync(target, request).ConfigureAwait(false);
        }
        catch (SiloUnavailableException)
        {
            // One-way: nobody waits for the outcome.
        }
    }

    /// <summary>The current gateway's connection; on a refused connection the next gateway, round the list once.</summary>
    private async Task<Connection> GatewayAsync()
    {
        SiloUnavailableException? last = null;
        for (var i = 0; i < _options.Gateways.Count; i++)
        {
            var index = (Volatile.Read(ref _gateway) + i) % _options.Gateways.Count;
            try
            {
                var connection = await _connections.GetAsync(_options.Gateways[index]).ConfigureAwait(false);
                Volatile.Write(ref _gateway, index);
                IsConnected = true;
                return connection;
            }
            catch (SiloUnavailableException ex)
            {
                last = ex;
            }
        }

        IsConnected = false;
        throw new SiloUnavailableException($"No gateway of {string.Join(", ", _options.Gateways)} accepts connections.", last!);
    }

    /// <summary>Calls from grains to this client's observers.</summary>
    private sealed class ObserverCalls(ClusterClient client) : IInboundCalls
    {
        public IGrainCallInvoker References => client;

        public void Call(GrainId target, GrainRequest request, InboundCall call)
            => call.AnswerWhen(request.InvokeAndWriteResultAsync(client._observers.Find(target.Key), call.Response));

        public async Task OneWayAsync(GrainId target, GrainRequest request)
        {
            using var discard = new WireWriter(16);
            try
            {
                await request.InvokeAndWriteResultAsync(client._observers.Find(target.Key), discard).ConfigureAwait(false);
            }
            catch (ObjectDisposedException)
            {
                // The observer is gone; nobody waits for a one-way call.
            }
        }

        public void Hello(Connection connection, string identity)
        {
            var at = identity.LastIndexOf('@');
            if (at > 0)
            {
                client._gatewayEndpoint = identity[..at];
                client._introduced.TrySetResult();
            }
        }
    }
}
