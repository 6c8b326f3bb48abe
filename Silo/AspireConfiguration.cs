using Azure.Storage.Blobs;
using StackExchange.Redis;

namespace Efflux.Silo;

/// <summary>
/// When Aspire runs the silo (aspire/Efflux.AppHost), Aspire.Hosting.Orleans describes the cluster in the
/// <c>Orleans</c> section: <c>Orleans:Clustering:ProviderType</c>, <c>Orleans:GrainStorage:{name}:ProviderType</c>,
/// each with a <c>ServiceKey</c> naming a connection string, and <c>Orleans:Endpoints</c>. Orleans builds those
/// providers itself from configuration; what it needs from the host are the clients registered under those service
/// keys, which this class adds. Without that section the silo keeps its own settings (<c>Efflux:Cluster</c>).
/// </summary>
internal static class AspireConfiguration
{
    /// <summary>True when an Orleans clustering provider is configured (Aspire, or anyone using Orleans' own keys).</summary>
    public static bool IsPresent(IConfiguration configuration) => !string.IsNullOrEmpty(configuration["Orleans:Clustering:ProviderType"]);

    /// <summary>Registers a keyed client for every provider section with a <c>ServiceKey</c> and a known provider type.</summary>
    public static void AddKeyedClients(IServiceCollection services, IConfiguration configuration)
    {
        var providers = configuration.GetSection("Orleans:GrainStorage").GetChildren().Append(configuration.GetSection("Orleans:Clustering"));
        foreach (var provider in providers)
        {
            var key = provider["ServiceKey"];
            if (string.IsNullOrEmpty(key) || services.Any(d => d.IsKeyedService && Equals(d.ServiceKey, key)))
            {
                continue;
            }

            var connection = configuration.GetConnectionString(key)
                ?? throw new InvalidOperationException($"{provider.Path}:ServiceKey is '{key}' but there is no ConnectionStrings:{key}.");
            switch (provider["ProviderType"])
            {
                case "Redis":
                    services.AddKeyedSingleton<IConnectionMultiplexer>(key, (_, _) => ConnectionMultiplexer.Connect(connection));
                    break;
                case "AzureBlobStorage":
                    services.AddKeyedSingleton(key, (_, _) => new BlobServiceClient(connection));
                    break;
                default:
                    throw new InvalidOperationException($"{provider.Path}:ProviderType '{provider["ProviderType"]}' is not one this silo has a client for (Redis, AzureBlobStorage).");
            }
        }
    }
}
