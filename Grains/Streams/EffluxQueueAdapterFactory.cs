using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Streams;

namespace Efflux.Grains.Streams;

/// <summary>
/// Builds the Efflux stream provider: partitions hashed onto <see cref="EffluxStreamOptions.Queues"/> queues, a
/// <see cref="StreamQueue"/> cache per queue and an <see cref="EffluxQueueReceiver"/> that fills it from the log.
/// </summary>
internal sealed class EffluxQueueAdapterFactory : IQueueAdapterFactory, IQueueAdapterCache
{
    private readonly Dictionary<QueueId, StreamQueue> _queues = [];
    private readonly HashRingBasedStreamQueueMapper _mapper;
    private readonly StreamTopology _topology;
    private readonly HomeQueues _homes;
    private readonly TimeProvider _time;
    private readonly ILoggerFactory _loggers;

    public EffluxQueueAdapterFactory(string name, EffluxStreamOptions options, IGrainFactory grains, IClusterMembershipService membership, ConsistentRingOptions ring, TimeProvider time, ILoggerFactory loggers)
    {
        Name = name;
        Options = options;
        Grains = grains;
        _time = time;
        _loggers = loggers;
        _mapper = new HashRingBasedStreamQueueMapper(new HashRingStreamQueueMapperOptions { TotalQueueCount = options.Queues }, name);
        _topology = new StreamTopology(name, options, grains, time, loggers.CreateLogger<StreamTopology>());
        _homes = new HomeQueues(_mapper, membership, ring);
    }

    public string Name { get; }

    public EffluxStreamOptions Options { get; }

    public IGrainFactory Grains { get; }

    public static IQueueAdapterFactory Create(IServiceProvider services, string name)
    {
        ArgumentNullException.ThrowIfNull(services);
        return new EffluxQueueAdapterFactory(
            name,
            services.GetRequiredService<IOptionsMonitor<EffluxStreamOptions>>().Get(name),
            services.GetRequiredService<IGrainFactory>(),
            services.GetRequiredService<IClusterMembershipService>(),
            services.GetRequiredService<IOptions<ConsistentRingOptions>>().Value,
            services.GetService<TimeProvider>() ?? TimeProvider.System,
            services.GetRequiredService<ILoggerFactory>());
    }

    [Obsolete("Use the overload which accepts a CancellationToken.")]
    public Task<IQueueAdapter> CreateAdapter() => CreateAdapter(CancellationToken.None);

    public Task<IQueueAdapter> CreateAdapter(CancellationToken cancellationToken) => Task.FromResult<IQueueAdapter>(new EffluxQueueAdapter(this));

    public IQueueAdapterCache GetQueueAdapterCache() => this;

    public IStreamQueueMapper GetStreamQueueMapper() => _mapper;

    public Task<IStreamFailureHandler> GetDeliveryFailureHandler(QueueId queueId) => Task.FromResult<IStreamFailureHandler>(new NoOpStreamDeliveryFailureHandler(false));

    public IQueueCache CreateQueueCache(QueueId queueId)
    {
        lock (_queues)
        {
            return _queues[queueId] = new StreamQueue(Options, _loggers.CreateLogger<StreamQueue>());
        }
    }

    public IQueueAdapterReceiver CreateReceiver(QueueId queueId)
    {
        StreamQueue queue;
        lock (_queues)
        {
            if (!_queues.TryGetValue(queueId, out queue!))
            {
                _queues[queueId] = queue = new StreamQueue(Options, _loggers.CreateLogger<StreamQueue>());
            }
        }

        return new EffluxQueueReceiver(Name, queueId, queue, _topology, _mapper, _homes, Grains, _time, _loggers.CreateLogger<EffluxQueueReceiver>());
    }
}
