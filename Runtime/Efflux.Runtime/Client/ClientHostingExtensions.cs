using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Efflux.Runtime.Client;

/// <summary>Registration of a cluster client in a host's services.</summary>
public static class ClientHostingExtensions
{
    /// <summary>Registers <see cref="IClusterClient"/> (and <see cref="IGrainFactory"/>) connected to the given gateways.</summary>
    public static IServiceCollection AddEffluxClient(this IServiceCollection services, Action<ClientOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        var options = new ClientOptions();
        configure(options);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new ClusterClient(options, sp.GetRequiredService<TimeProvider>(), sp.GetService<ILogger<ClusterClient>>()));
        services.TryAddSingleton<IClusterClient>(sp => sp.GetRequiredService<ClusterClient>());
        services.TryAddSingleton<IGrainFactory>(sp => sp.GetRequiredService<ClusterClient>());
        return services;
    }
}
