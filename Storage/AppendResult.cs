namespace Efflux.Storage;

/// <summary>The acknowledgement of one message.</summary>
/// <param name="Status">Appended, duplicate or rejected.</param>
/// <param name="Offset">The record's offset; for a mismatch, the partition's actual next offset.</param>
/// <param name="Id">The record's id (generated when the caller gave none).</param>
/// <param name="Fingerprint">The record's fingerprint; empty for a duplicate or a mismatch.</param>
public readonly record struct AppendResult(AppendStatus Status, long Offset, string Id, ReadOnlyMemory<byte> Fingerprint);
