namespace Efflux.Runtime.GrainDirectory;

/// <summary>
/// Where directory-placed grains live: grain id → silo endpoint ("host:port"). The first registration wins; an entry
/// is removed only by whoever names the endpoint it holds. Providers: in memory (one process) and Redis (a cluster).
/// Thread-safe.
/// </summary>
public interface IGrainDirectory
{
    /// <summary>The endpoint the grain is registered at, or null.</summary>
    Task<string?> LookupAsync(GrainId grainId, CancellationToken cancellationToken);

    /// <summary>Registers the grain at <paramref name="endpoint"/> unless it is registered already; returns the registered endpoint.</summary>
    Task<string> RegisterAsync(GrainId grainId, string endpoint, CancellationToken cancellationToken);

    /// <summary>Removes the registration if it is still <paramref name="endpoint"/>.</summary>
    Task UnregisterAsync(GrainId grainId, string endpoint, CancellationToken cancellationToken);
}
