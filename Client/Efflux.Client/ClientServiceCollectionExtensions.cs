using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Efflux.Client;

/// <summary>Registers an <see cref="EffluxClient"/> in an application's services.</summary>
public static class ClientServiceCollectionExtensions
{
    /// <summary>
    /// Adds an <see cref="EffluxClient"/> singleton over the application's Orleans client. When the application has no
    /// Orleans client yet, one is added with <paramref name="configure"/>'s gateways (it connects when the host starts);
    /// when it has one (<c>UseOrleansClient</c>), the Efflux client shares it (and takes only
    /// <see cref="EffluxClientOptions.AppendCallsInFlight"/> from <paramref name="configure"/>).
    /// </summary>
    public static IServiceCollection AddEffluxClient(this IServiceCollection services, Action<EffluxClientOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = new EffluxClientOptions();
        configure?.Invoke(options);
        if (!services.Any(d => d.ServiceType == typeof(IClusterClient)))
        {
            services.AddOrleansClient(options.Configure);
        }

        services.TryAddSingleton(sp => new EffluxClient(sp.GetRequiredService<IClusterClient>(), options.AppendCallsInFlight));
        return services;
    }
}
