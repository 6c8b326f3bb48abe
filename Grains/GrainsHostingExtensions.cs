using Efflux.Grains.Hosting;
using Efflux.Grains.Placement;
using Efflux.Grains.Security;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Runtime.Hosting;
using Orleans.Serialization;
using Orleans.Storage;

namespace Efflux.Grains;

/// <summary>Registers the Efflux grains' services in a silo.</summary>
public static class GrainsHostingExtensions
{
    /// <summary>
    /// Binds <see cref="EffluxOptions"/> to the <c>Efflux</c> section, registers home-silo placement, the checkpoint
    /// key and the append router; unless a grain storage named <see cref="EffluxStorage.Name"/> is registered already,
    /// topic configurations, namespaces and consumer-group offsets go to files under <c>{DataDirectory}/@state</c>.
    /// </summary>
    public static ISiloBuilder AddEffluxGrains(this ISiloBuilder silo, Action<EffluxOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(silo);
        var services = silo.Services;
        var options = services.AddOptions<EffluxOptions>().BindConfiguration(EffluxOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.Section);
        services.AddOptions<LimitsOptions>().BindConfiguration(LimitsOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton<KeyRing>();
        services.TryAddSingleton<Quotas>();
        silo.AddIncomingGrainCallFilter<AccessFilter>();
        services.TryAddSingleton<CheckpointKey>();
        services.TryAddSingleton<TopicRouter>();
        services.TryAddSingleton<PartitionHealth>();
        services.TryAddSingleton<IdleMemoryTrim>();
        services.TryAddSingleton<PartitionHomes>();
        services.AddMetrics();
        services.TryAddSingleton<GroupLagMetrics>();
        services.TryAddSingleton<AppendMetrics>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ITypeConverter, MovedContractTypes>());
        silo.AddPlacementDirector<HomeSiloPlacement, HomeSiloPlacementDirector>();
        services.AddOptions<GrainCollectionOptions>().Configure<IOptions<EffluxOptions>>((collection, efflux) =>
        {
            collection.ClassSpecificCollectionAge[typeof(PartitionGrain).FullName!] = efflux.Value.PartitionIdleTimeout;
            collection.ClassSpecificCollectionAge[typeof(SegmentGrain).FullName!] = efflux.Value.PartitionIdleTimeout;
        });
        services.AddOptions<SiloMessagingOptions>().Configure<IOptions<EffluxOptions>>((messaging, efflux) =>
        {
            messaging.MaxMessageBodySize = efflux.Value.MaxCallBytes;
            messaging.MaxMessageHeaderSize = 1 << 20;
        });
        if (!services.Any(d => d.IsKeyedService && Equals(d.ServiceKey, EffluxStorage.Name) && d.ServiceType == typeof(IGrainStorage)))
        {
            silo.AddEffluxFileGrainStorage();
        }

        return silo;
    }

    /// <summary>
    /// Keeps the Efflux grain state in files (<see cref="FileGrainStorage"/>) under <paramref name="directory"/>, by
    /// default <c>{DataDirectory}/@state</c>.
    /// </summary>
    public static ISiloBuilder AddEffluxFileGrainStorage(this ISiloBuilder silo, string? directory = null)
    {
        ArgumentNullException.ThrowIfNull(silo);
        silo.Services.AddGrainStorage(EffluxStorage.Name, (sp, _) => new FileGrainStorage(
            directory ?? Path.Combine(sp.GetRequiredService<IOptions<EffluxOptions>>().Value.FullDataDirectory, "@state"),
            sp.GetRequiredService<IGrainStorageSerializer>(),
            sp.GetRequiredService<ILogger<FileGrainStorage>>()));
        return silo;
    }
}
