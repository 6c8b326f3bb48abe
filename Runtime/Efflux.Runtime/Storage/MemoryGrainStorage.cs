using System.Globalization;

namespace Efflux.Runtime.Storage;

/// <summary>Grain state in this process's memory: for tests and single-silo development. Lost when the process ends.</summary>
public sealed class MemoryGrainStorage : IGrainStorage
{
    private readonly Lock _lock = new();
    private readonly Dictionary<(GrainId, string), (byte[] Data, long Version)> _states = [];
    private long _versions;

    /// <inheritdoc />
    public Task<StoredState?> ReadAsync(GrainId grainId, string stateName, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(_states.TryGetValue((grainId, stateName), out var s) ? new StoredState(s.Data, Etag(s.Version)) : null);
        }
    }

    /// <inheritdoc />
    public Task<string> WriteAsync(GrainId grainId, string stateName, ReadOnlyMemory<byte> data, string? expectedEtag, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            EtagCheck.Require(grainId, stateName, Current(grainId, stateName), expectedEtag);
            var version = ++_versions;
            _states[(grainId, stateName)] = (data.ToArray(), version);
            return Task.FromResult(Etag(version));
        }
    }

    /// <inheritdoc />
    public Task ClearAsync(GrainId grainId, string stateName, string? expectedEtag, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            EtagCheck.Require(grainId, stateName, Current(grainId, stateName), expectedEtag);
            _states.Remove((grainId, stateName));
            return Task.CompletedTask;
        }
    }

    private string? Current(GrainId grainId, string stateName) => _states.TryGetValue((grainId, stateName), out var s) ? Etag(s.Version) : null;

    private static string Etag(long version) => version.ToString(CultureInfo.InvariantCulture);
}
