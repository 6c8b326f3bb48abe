namespace Efflux.Grains;

/// <summary>
/// The namespaces that hold topics, sorted. One grain, key <see cref="Key"/>. A namespace is added when its first topic
/// is created and removed when its last topic is deleted.
/// </summary>
[Alias("efflux.namespaces")]
public interface INamespaceCatalogGrain : INameSetGrain
{
    /// <summary>The key of the one catalog grain.</summary>
    const string Key = "all";
}
