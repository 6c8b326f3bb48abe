using Efflux.Runtime.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Efflux.Runtime.AzureStorage;

/// <summary>Registration of Azure Blob grain storage.</summary>
public static class AzureStorageHostingExtensions
{
    /// <summary>Keeps grain state named <paramref name="name"/> in blobs of <paramref name="container"/> (created when missing).</summary>
    public static IServiceCollection AddAzureBlobGrainStorage(this IServiceCollection services, string name, string connectionString, string container = "grain-state")
    {
        ArgumentNullException.ThrowIfNull(services);
        return services.AddKeyedSingleton<IGrainStorage>(name, new AzureBlobGrainStorage(connectionString, container));
    }
}
