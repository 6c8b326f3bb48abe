using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.Providers;
using Orleans.Storage;

namespace Efflux.Grains.Streams;

/// <summary>Registers the Efflux stream provider in a silo.</summary>
public static class EffluxStreamsHostingExtensions
{
    /// <summary>
    /// Adds an Orleans persistent stream provider named <paramref name="name"/> whose queues read Efflux partitions:
    /// each partition of each topic in <see cref="EffluxStreamOptions.Namespaces"/> (and of the namespaces live queries
    /// use) is the stream <c>StreamId.Create("{ns}/{topic}", "{partition}")</c>, delivered in offset order with
    /// <see cref="EffluxSequenceToken"/>s and rewindable to any stored offset. Stream subscriptions (pub-sub state) are
    /// kept in the Efflux grain storage unless a <c>PubSubStore</c> storage is registered already. Call it after
    /// <see cref="GrainsHostingExtensions.AddEffluxGrains"/>.
    /// </summary>
    public static ISiloBuilder AddEffluxStreams(this ISiloBuilder silo, string name, Action<EffluxStreamOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(silo);
        ArgumentException.ThrowIfNullOrEmpty(name);
        var options = silo.Services.AddOptions<EffluxStreamOptions>(name);
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.Validate(o => o.Queues > 0 && o.DeliveryBatch > 0 && o.WindowRecords > 2 * o.DeliveryBatch && o.ReadBatch > 0, "Queues, DeliveryBatch and ReadBatch must be positive, and WindowRecords more than twice DeliveryBatch.");
        silo.AddPersistentStreams(name, EffluxQueueAdapterFactory.Create, streams => streams.Configure<StreamPullingAgentOptions>(agent => agent.Configure(o =>
        {
            // The receiver long-polls the partitions, so the agent may ask again at once; streams are never dropped
            // for inactivity, so a subscription to a quiet partition is attached without waiting for a new record.
            o.GetQueueMsgsTimerPeriod = TimeSpan.FromMilliseconds(10);
            o.StreamInactivityPeriod = TimeSpan.FromDays(3650);
        })));
        if (!silo.Services.Any(d => d.IsKeyedService && Equals(d.ServiceKey, ProviderConstants.DEFAULT_PUBSUB_PROVIDER_NAME) && d.ServiceType == typeof(IGrainStorage)))
        {
            silo.Services.AddKeyedSingleton<IGrainStorage>(ProviderConstants.DEFAULT_PUBSUB_PROVIDER_NAME, (sp, _) => sp.GetRequiredKeyedService<IGrainStorage>(EffluxStorage.Name));
        }

        return silo;
    }
}
