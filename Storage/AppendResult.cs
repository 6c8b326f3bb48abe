using Efflux.Storage.Log;

namespace Efflux.Storage;

/// <summary>The acknowledgement of one message.</summary>
public readonly record struct AppendResult
{
    private readonly string? _id;
    private readonly ulong _generatedId;

    /// <summary>An acknowledgement.</summary>
    /// <param name="status">Appended, duplicate or rejected.</param>
    /// <param name="offset">The record's offset; for a mismatch, the partition's actual next offset.</param>
    /// <param name="id">The record's id.</param>
    /// <param name="fingerprint">The record's fingerprint; empty for a duplicate or a mismatch.</param>
    public AppendResult(AppendStatus status, long offset, string id, ReadOnlyMemory<byte> fingerprint)
    {
        Status = status;
        Offset = offset;
        _id = id;
        Fingerprint = fingerprint;
    }

    /// <summary>The acknowledgement of a record whose id the engine generated (see <see cref="GeneratedIds"/>).</summary>
    internal AppendResult(long offset, ulong generatedId, ReadOnlyMemory<byte> fingerprint)
    {
        Status = AppendStatus.Appended;
        Offset = offset;
        _generatedId = generatedId;
        Fingerprint = fingerprint;
    }

    /// <summary>Appended, duplicate or rejected.</summary>
    public AppendStatus Status { get; }

    /// <summary>The record's offset; for a mismatch, the partition's actual next offset.</summary>
    public long Offset { get; }

    /// <summary>
    /// The record's id: the caller's, or the one the engine generated when the caller gave none (made into a new string
    /// each time it is read, so that results waiting for their fsync hold none); empty in a default value.
    /// </summary>
    public string Id => _id ?? (_generatedId == 0 ? string.Empty : GeneratedIds.Format(_generatedId));

    /// <summary>The record's fingerprint; empty for a duplicate or a mismatch.</summary>
    public ReadOnlyMemory<byte> Fingerprint { get; }
}
