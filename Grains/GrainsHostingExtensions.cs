using Efflux.Runtime.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Efflux.Grains;

/// <summary>Registers the Efflux grains' services in a silo.</summary>
public static class GrainsHostingExtensions
{
    /// <summary>
    /// Binds <see cref="EffluxOptions"/> to the <c>Efflux</c> section and registers the checkpoint key; unless a grain
    /// storage named <see cref="EffluxStorage.Name"/> is registered already, topic configurations and consumer-group
    /// offsets go to files under <c>{DataDirectory}/@grains</c>.
    /// </summary>
    public static IServiceCollection AddEffluxGrains(this IServiceCollection services, Action<EffluxOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<EffluxOptions>().BindConfiguration(EffluxOptions.Section);
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddSingleton<CheckpointKey>();
        services.TryAddKeyedSingleton<IGrainStorage>(EffluxStorage.Name, (sp, _) =>
            new FileGrainStorage(Path.Combine(sp.GetRequiredService<IOptions<EffluxOptions>>().Value.FullDataDirectory, "@grains")));
        return services;
    }
}
