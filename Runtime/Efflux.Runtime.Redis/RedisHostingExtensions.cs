using Efflux.Runtime.GrainDirectory;
using Efflux.Runtime.Membership;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace Efflux.Runtime.Redis;

/// <summary>Registration of Redis membership for a silo.</summary>
public static class RedisHostingExtensions
{
    /// <summary>
    /// Uses Redis at <paramref name="configuration"/> (StackExchange.Redis syntax, e.g. "127.0.0.1:6379") for the
    /// membership and the grain directory of cluster <paramref name="clusterId"/>. The connection reconnects by itself
    /// after Redis comes back.
    /// </summary>
    public static IServiceCollection AddRedisMembership(this IServiceCollection services, string configuration, string clusterId)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(clusterId);
        services.AddSingleton<IConnectionMultiplexer>(_ =>
        {
            var options = ConfigurationOptions.Parse(configuration);
            options.AbortOnConnectFail = false;
            return ConnectionMultiplexer.Connect(options);
        });
        services.AddSingleton<IMembershipTable>(sp => new RedisMembershipTable(sp.GetRequiredService<IConnectionMultiplexer>(), clusterId));
        services.AddSingleton<IGrainDirectory>(sp => new RedisGrainDirectory(sp.GetRequiredService<IConnectionMultiplexer>(), clusterId));
        return services;
    }
}
