namespace Efflux.Runtime.Storage;

/// <summary>
/// A grain storage provider: bytes of one named state per grain, each version tagged with an ETag. Every write and
/// clear is conditional: it succeeds only when the stored ETag is still the expected one (null: nothing stored), else
/// it throws <see cref="InconsistentStateException"/> and changes nothing. Thread-safe.
/// </summary>
public interface IGrainStorage
{
    /// <summary>The stored state, or null.</summary>
    Task<StoredState?> ReadAsync(GrainId grainId, string stateName, CancellationToken cancellationToken);

    /// <summary>Stores <paramref name="data"/> if the stored ETag is <paramref name="expectedEtag"/>; returns the new ETag.</summary>
    Task<string> WriteAsync(GrainId grainId, string stateName, ReadOnlyMemory<byte> data, string? expectedEtag, CancellationToken cancellationToken);

    /// <summary>Deletes the state if the stored ETag is <paramref name="expectedEtag"/>.</summary>
    Task ClearAsync(GrainId grainId, string stateName, string? expectedEtag, CancellationToken cancellationToken);
}
