using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Efflux.Client;

/// <summary>Registers an <see cref="EffluxClient"/> as a singleton.</summary>
public static class ClientServiceCollectionExtensions
{
    /// <summary>Adds an <see cref="EffluxClient"/> that connects on first use.</summary>
    public static IServiceCollection AddEffluxClient(this IServiceCollection services, Action<EffluxClientOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = new EffluxClientOptions();
        configure?.Invoke(options);
        services.TryAddSingleton(sp => new EffluxClient(options, sp.GetService<ILogger<Efflux.Runtime.Client.ClusterClient>>()));
        return services;
    }
}
