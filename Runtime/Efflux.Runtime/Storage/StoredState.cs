namespace Efflux.Runtime.Storage;

/// <summary>A stored state's bytes and version.</summary>
/// <param name="Data">The serialized state.</param>
/// <param name="Etag">The version.</param>
public sealed record StoredState(ReadOnlyMemory<byte> Data, string Etag);
