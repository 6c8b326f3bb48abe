namespace Efflux.Grains.Streams;

/// <summary>The namespaces an Efflux stream provider reads, beside those in its options. Key: the provider name.</summary>
[Alias("efflux.stream-namespaces")]
public interface IStreamNamespacesGrain : IGrainWithStringKey
{
    /// <summary>Adds a namespace (idempotent).</summary>
    Task WatchAsync(string ns);

    /// <summary>The namespaces, sorted.</summary>
    [ReadOnly]
    Task<List<string>> ListAsync();

    /// <summary>The namespaces, sorted, and registers <paramref name="observer"/> to be told (for a minute, renewed by calling again) when one is added.</summary>
    Task<List<string>> ListAndWatchAsync(ITopicsObserver observer);
}
