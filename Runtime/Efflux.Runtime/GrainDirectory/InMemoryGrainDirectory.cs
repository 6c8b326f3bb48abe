using System.Collections.Concurrent;

namespace Efflux.Runtime.GrainDirectory;

/// <summary>A grain directory shared by the silos of one process (a single silo or a TestCluster).</summary>
public sealed class InMemoryGrainDirectory : IGrainDirectory
{
    private readonly ConcurrentDictionary<GrainId, string> _entries = new();

    /// <inheritdoc />
    public Task<string?> LookupAsync(GrainId grainId, CancellationToken cancellationToken)
        => Task.FromResult(_entries.TryGetValue(grainId, out var endpoint) ? endpoint : null);

    /// <inheritdoc />
    public Task<string> RegisterAsync(GrainId grainId, string endpoint, CancellationToken cancellationToken)
        => Task.FromResult(_entries.GetOrAdd(grainId, endpoint));

    /// <inheritdoc />
    public Task UnregisterAsync(GrainId grainId, string endpoint, CancellationToken cancellationToken)
    {
        _entries.TryRemove(new KeyValuePair<GrainId, string>(grainId, endpoint));
        return Task.CompletedTask;
    }
}
