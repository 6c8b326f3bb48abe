using Efflux.Runtime.Serialization;

namespace Efflux.Runtime.Storage;

/// <summary>
/// A grain's named state in a storage provider, serialized with its wire codec (so state types are contract types).
/// Read before the grain's OnActivateAsync; every write carries the ETag it last saw. Used from the grain's turns only.
/// </summary>
internal sealed class PersistentState<TState>(IGrainStorage storage, GrainId grainId, string stateName) : IPersistentState<TState>
    where TState : new()
{
    public TState State { get; set; } = new();

    public string? Etag { get; private set; }

    public bool RecordExists => Etag is not null;

    public async Task ReadStateAsync(CancellationToken cancellationToken = default)
    {
        var stored = await storage.ReadAsync(grainId, stateName, cancellationToken).ConfigureAwait(false);
        State = stored is null ? new() : Decode(stored.Data);
        Etag = stored?.Etag;
    }

    public async Task WriteStateAsync(CancellationToken cancellationToken = default)
    {
        using var writer = new WireWriter();
        WireCodec<TState>.Write(writer, State);
        Etag = await storage.WriteAsync(grainId, stateName, writer.WrittenMemory, Etag, cancellationToken).ConfigureAwait(false);
    }

    public async Task ClearStateAsync(CancellationToken cancellationToken = default)
    {
        await storage.ClearAsync(grainId, stateName, Etag, cancellationToken).ConfigureAwait(false);
        Etag = null;
        State = new();
    }

    private static TState Decode(ReadOnlyMemory<byte> data)
    {
        var reader = new WireReader(data.Span);
        return WireCodec<TState>.Read(ref reader) ?? new();
    }
}
