using Efflux.Runtime.Activations;
using Efflux.Runtime.Calls;
using Efflux.Runtime.GrainDirectory;
using Efflux.Runtime.Invocation;
using Efflux.Runtime.Membership;
using Efflux.Runtime.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Efflux.Runtime.Hosting;

/// <summary>Hosting of a silo on Microsoft.Extensions.Hosting.</summary>
public static class SiloHostingExtensions
{
    /// <summary>Runs a silo in this host: grains of the loaded assemblies become callable through <see cref="IGrainFactory"/>.</summary>
    public static IHostApplicationBuilder UseEffluxSilo(this IHostApplicationBuilder builder, Action<SiloOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddEffluxSilo(configure);
        return builder;
    }

    /// <summary>Registers the silo's services: options (section <c>Efflux:Silo</c>), catalog, grain factory and lifecycle.</summary>
    public static IServiceCollection AddEffluxSilo(this IServiceCollection services, Action<SiloOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<SiloOptions>().BindConfiguration("Efflux:Silo");
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IMembershipTable, InMemoryMembershipTable>();
        services.TryAddSingleton<MembershipView>();
        services.TryAddSingleton<IGrainDirectory, InMemoryGrainDirectory>();
        services.TryAddSingleton<DirectoryPlacement>();
        services.TryAddSingleton<SiloTime>();
        services.TryAddSingleton<Catalog>();
        services.TryAddSingleton<CoarseClock>();
        services.TryAddSingleton<CallTimeouts>();
        services.TryAddSingleton<LocalCallInvoker>();
        services.TryAddSingleton<ClusterCallInvoker>();
        services.TryAddSingleton<IGrainCallInvoker>(sp => sp.GetRequiredService<ClusterCallInvoker>());
        services.TryAddSingleton<IGrainFactory>(sp => new GrainFactory(sp.GetRequiredService<IGrainCallInvoker>(), sp.GetRequiredService<ClusterCallInvoker>()));
        services.TryAddSingleton<ISiloDetails, SiloDetails>();
        services.TryAddSingleton<SiloLifecycle>();
        services.AddHostedService(sp => sp.GetRequiredService<SiloLifecycle>());
        return services;
    }

    /// <summary>Keeps grain state named <paramref name="name"/> in memory (lost when the process ends).</summary>
    public static IServiceCollection AddMemoryGrainStorage(this IServiceCollection services, string name = PersistentStateAttribute.DefaultStorage)
    {
        ArgumentNullException.ThrowIfNull(services);
        return services.AddKeyedSingleton<IGrainStorage>(name, new MemoryGrainStorage());
    }

    /// <summary>Keeps grain state named <paramref name="name"/> in files under <paramref name="directory"/> (atomic replace with fsync).</summary>
    public static IServiceCollection AddFileGrainStorage(this IServiceCollection services, string name, string directory)
    {
        ArgumentNullException.ThrowIfNull(services);
        return services.AddKeyedSingleton<IGrainStorage>(name, new FileGrainStorage(directory));
    }
}
