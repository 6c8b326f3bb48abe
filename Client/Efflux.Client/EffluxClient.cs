using Efflux.Grains;
using Efflux.Runtime.Client;
using Microsoft.Extensions.Logging;

namespace Efflux.Client;

/// <summary>
/// The Efflux client: connects to any silo's gateway over the grain transport and talks to the topic, partition and
/// consumer-group grains. Thread-safe; keep one per process.
/// </summary>
public sealed class EffluxClient : IAsyncDisposable
{
    private readonly ClusterClient _cluster;

    /// <summary>A client for the given options; it connects on first use (or in <see cref="ConnectAsync(System.Threading.CancellationToken)"/>).</summary>
    public EffluxClient(EffluxClientOptions options, ILogger<ClusterClient>? log = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var client = new ClientOptions { CallTimeout = options.CallTimeout };
        foreach (var gateway in options.Gateways.Count == 0 ? [EffluxClientOptions.LocalGateway] : options.Gateways)
        {
            client.Gateways.Add(gateway);
        }

        _cluster = new ClusterClient(client, log: log);
    }

    /// <summary>Connects to the first gateway of <paramref name="gateways"/> (comma-separated <c>host:port</c>) that answers.</summary>
    /// <exception cref="EffluxException">No gateway answers (<see cref="EffluxError.Unavailable"/>).</exception>
    public static async Task<EffluxClient> ConnectAsync(string gateways = EffluxClientOptions.LocalGateway, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(gateways);
        var options = new EffluxClientOptions();
        foreach (var gateway in gateways.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            options.Gateways.Add(gateway);
        }

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

    /// <summary>Connects now instead of at the first call.</summary>
    public Task ConnectAsync(CancellationToken cancellationToken = default) => Calls.Run(_cluster.ConnectAsync().WaitAsync(cancellationToken));

    internal ClusterClient Cluster => _cluster;

    /// <summary>Creates a topic, or changes the retention and limits of an existing one. True when it was created.</summary>
    public Task<bool> CreateTopicAsync(string ns, string topic, TopicConfig? config = null)
        => Calls.Run(_cluster.GetGrain<ITopicGrain>(GrainKeys.Topic(ns, topic)).CreateOrUpdateAsync(config ?? new TopicConfig()));

    /// <summary>Configuration and per-partition state of a topic.</summary>
    public Task<TopicInfo> DescribeTopicAsync(string ns, string topic)
        => Calls.Run(_cluster.GetGrain<ITopicGrain>(GrainKeys.Topic(ns, topic)).DescribeAsync());

    /// <summary>The topics of a namespace.</summary>
    public async Task<IReadOnlyList<string>> ListTopicsAsync(string ns)
        => await Calls.Run(_cluster.GetGrain<INamespaceGrain>(ns).ListAsync()).ConfigureAwait(false);

    /// <summary>Deletes a topic and its data.</summary>
    public Task DeleteTopicAsync(string ns, string topic)
        => Calls.Run(_cluster.GetGrain<ITopicGrain>(GrainKeys.Topic(ns, topic)).DeleteAsync());

    /// <summary>A handle on one topic (cheap; no call is made).</summary>
    public TopicClient Topic(string ns, string topic) => new(this, ns, topic);

    /// <summary>A topic whose payloads are JSON documents of <typeparamref name="T"/> (DataType = the type's name).</summary>
    public Topic<T> Topic<T>(string ns, string topic, System.Text.Json.JsonSerializerOptions? json = null) => new(Topic(ns, topic), json);

    internal IPartitionGrain Partition(string ns, string topic, int partition) => _cluster.GetGrain<IPartitionGrain>(GrainKeys.Partition(ns, topic, partition));

    internal ITopicGrain TopicGrain(string ns, string topic) => _cluster.GetGrain<ITopicGrain>(GrainKeys.Topic(ns, topic));

    internal IConsumerGroupGrain GroupGrain(string ns, string topic, string group) => _cluster.GetGrain<IConsumerGroupGrain>(GrainKeys.Group(ns, topic, group));

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _cluster.DisposeAsync();
}
