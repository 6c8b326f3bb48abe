using System.Collections.Concurrent;
using Efflux.Grains;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Efflux.Client;

/// <summary>
/// The Efflux client: an Orleans client (<see cref="IClusterClient"/>) to any silo's gateway that talks to the topic,
/// partition and consumer-group grains. Thread-safe; keep one per process.
/// </summary>
public sealed class EffluxClient : IAsyncDisposable
{
    private readonly IHost? _host;
    private readonly object _starting = new();
    private Task? _connected;
    private readonly Lazy<int> _callLimit;
    private readonly ConcurrentDictionary<(string Namespace, string Topic, Acks Acks, int? Partition), AppendLane> _lanes = new();
    private readonly int _appendCallsInFlight;

    /// <summary>A client over an Orleans client the application runs itself (see <see cref="ClientServiceCollectionExtensions.AddEffluxClient"/>).</summary>
    public EffluxClient(IClusterClient cluster)
        : this(cluster, new EffluxClientOptions().AppendCallsInFlight)
    {
    }

    internal EffluxClient(IClusterClient cluster, int appendCallsInFlight)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        _appendCallsInFlight = appendCallsInFlight;
        Cluster = cluster;
        _connected = Task.CompletedTask;
        _callLimit = new Lazy<int>(CallLimit);
    }

    /// <summary>A client with its own Orleans client for the given options; call <see cref="ConnectAsync(CancellationToken)"/> before use.</summary>
    public EffluxClient(EffluxClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _appendCallsInFlight = options.AppendCallsInFlight;
        _host = new HostBuilder().UseOrleansClient(options.Configure).Build();
        Cluster = _host.Services.GetRequiredService<IClusterClient>();
        _callLimit = new Lazy<int>(CallLimit);
    }

    /// <summary>The Orleans client's message body limit.</summary>
    private int CallLimit() => Cluster.ServiceProvider.GetService<Microsoft.Extensions.Options.IOptions<Orleans.Configuration.ClientMessagingOptions>>()?.Value.MaxMessageBodySize ?? int.MaxValue;

    /// <summary>The Orleans client underneath: grains of the application's own can be called through it too.</summary>
    public IClusterClient Cluster { get; }

    /// <summary>Connects to the gateways of <paramref name="gateways"/> (comma-separated <c>host:port</c>).</summary>
    /// <exception cref="EffluxException">No gateway answers (<see cref="EffluxError.Unavailable"/>).</exception>
    public static async Task<EffluxClient> ConnectAsync(string gateways = EffluxClientOptions.LocalGateway, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(gateways);
        var options = new EffluxClientOptions();
        foreach (var gateway in gateways.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            options.Gateways.Add(gateway);
        }

        return await ConnectAsync(options, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Connects with <paramref name="options"/> (gateways or Redis, cluster id, timeouts).</summary>
    /// <exception cref="EffluxException">No gateway answers (<see cref="EffluxError.Unavailable"/>).</exception>
    public static async Task<EffluxClient> ConnectAsync(EffluxClientOptions options, CancellationToken cancellationToken = default)
    {
        var client = new EffluxClient(options);
        try
        {
            await client.ConnectAsync(cancellationToken).ConfigureAwait(false);
            return client;
        }
        catch
        {
            await client.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Connects its own Orleans client (once; a client over the application's Orleans client is connected by the application's host).</summary>
    /// <exception cref="EffluxException">No gateway answers (<see cref="EffluxError.Unavailable"/>).</exception>
    public Task ConnectAsync(CancellationToken cancellationToken = default)
    {
        lock (_starting)
        {
            if (_connected is null || _connected.IsFaulted || _connected.IsCanceled)
            {
                _connected = StartAsync(_host!, cancellationToken);
            }

            return _connected;
        }
    }

    private static async Task StartAsync(IHost host, CancellationToken cancellationToken)
    {
        try
        {
            await host.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not EffluxException)
        {
            throw new EffluxException(EffluxError.Unavailable, "No Efflux gateway accepts connections: " + ex.Message);
        }
    }

    /// <summary>Creates a topic, or changes the retention and limits of an existing one. True when it was created.</summary>
    public Task<bool> CreateTopicAsync(string ns, string topic, TopicConfig? config = null)
        => Calls.Run(Cluster.GetGrain<ITopicGrain>(GrainKeys.Topic(ns, topic)).CreateOrUpdateAsync(config ?? new TopicConfig()));

    /// <summary>Configuration and per-partition state of a topic.</summary>
    public Task<TopicInfo> DescribeTopicAsync(string ns, string topic)
        => Calls.Run(Cluster.GetGrain<ITopicGrain>(GrainKeys.Topic(ns, topic)).DescribeAsync());

    /// <summary>The topics of a namespace.</summary>
    public async Task<IReadOnlyList<string>> ListTopicsAsync(string ns)
        => await Calls.Run(Cluster.GetGrain<INamespaceGrain>(ns).ListAsync()).ConfigureAwait(false);

    /// <summary>Deletes a topic and its data.</summary>
    public Task DeleteTopicAsync(string ns, string topic)
        => Calls.Run(Cluster.GetGrain<ITopicGrain>(GrainKeys.Topic(ns, topic)).DeleteAsync());

    /// <summary>The live EffluxQL queries of the cluster.</summary>
    public Queries Queries => new(Cluster);

    /// <summary>A handle on one topic (cheap; no call is made).</summary>
    public TopicClient Topic(string ns, string topic) => new(this, ns, topic);

    /// <summary>A topic whose payloads are JSON documents of <typeparamref name="T"/> (DataType = the type's name).</summary>
    public Topic<T> Topic<T>(string ns, string topic, System.Text.Json.JsonSerializerOptions? json = null) => new(Topic(ns, topic), json);

    internal IPartitionGrain Partition(string ns, string topic, int partition) => Cluster.GetGrain<IPartitionGrain>(GrainKeys.Partition(ns, topic, partition));

    /// <summary>
    /// Refuses an append whose call would be larger than the client's message limit (Orleans would drop it unsent and
    /// the caller would wait out the call timeout): a <see cref="EffluxError.TooLarge"/> error at once instead.
    /// </summary>
    internal void CheckSize(IReadOnlyList<ProduceMessage> messages)
    {
        var limit = _callLimit.Value;
        long bytes = 0;
        foreach (var m in messages)
        {
            bytes += CallBytes(m);
        }

        if (bytes > limit)
        {
            throw new EffluxException(EffluxError.TooLarge, $"An append of about {bytes} bytes is larger than a call may be ({limit} bytes, EffluxClientOptions.MaxCallBytes, matching the silos' Efflux:MaxCallBytes): split the batch.");
        }
    }

    /// <summary>About how many bytes <paramref name="message"/> takes in an append call.</summary>
    private static long CallBytes(ProduceMessage message)
        => message.Payload.Length + 512 + (message.Properties?.Sum(p => p.Key.Length + p.Value.Length) ?? 0);

    /// <summary>The lane that carries this client's concurrent single appends to a topic with these acks and partition choice.</summary>
    internal AppendLane Lane(string ns, string topic, Acks acks, int? partition)
        => _lanes.GetOrAdd((ns, topic, acks, partition), key => new AppendLane(new TopicClient(this, key.Namespace, key.Topic), key.Acks, key.Partition, _appendCallsInFlight, CallBytes, _callLimit.Value));

    internal ITopicGrain TopicGrain(string ns, string topic) => Cluster.GetGrain<ITopicGrain>(GrainKeys.Topic(ns, topic));

    internal IConsumerGroupGrain GroupGrain(string ns, string topic, string group) => Cluster.GetGrain<IConsumerGroupGrain>(GrainKeys.Group(ns, topic, group));

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_host is { } host)
        {
            try
            {
                await host.StopAsync().ConfigureAwait(false);
            }
            finally
            {
                host.Dispose();
            }
        }
    }
}
