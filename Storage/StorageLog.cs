using Microsoft.Extensions.Logging;

namespace Efflux.Storage;

/// <summary>
/// What a partition log reports (<see cref="PartitionLogOptions.Logger"/>): its lifecycle at Information, each batch
/// and fsync at Debug, each record at Trace, failures at Warning (recovered) or Error (the partition turns read-only).
/// </summary>
internal static partial class StorageLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Log {Directory} opened: offsets {Start} to {Next} in {Segments} segments; recovery scanned {Scanned} records from {Origin} in {Milliseconds:0.0} ms")]
    private static partial void Opened(ILogger logger, string directory, long start, long next, int segments, string origin, long scanned, double milliseconds);

    public static void Opened(ILogger logger, string directory, long start, long next, int segments, bool fromCheckpoint, long scanned, double milliseconds)
        => Opened(logger, directory, start, next, segments, fromCheckpoint ? "the recovery checkpoint" : "the first segment", scanned, milliseconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Log {Directory} closed at offset {Next} (clean: {Clean})")]
    public static partial void Closed(ILogger logger, string directory, long next, bool clean);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Log {File}: a torn write of {Bytes} bytes at position {Position} is cut (a crash during a write; nothing acknowledged as durable was in it)")]
    public static partial void TornTailCut(ILogger logger, string file, long position, long bytes);

    [LoggerMessage(Level = LogLevel.Information, Message = "Log {Directory}: segment {Sealed} sealed at {Bytes} bytes; segment {Next} started")]
    public static partial void Rolled(ILogger logger, string directory, long @sealed, long bytes, long next);

    [LoggerMessage(Level = LogLevel.Information, Message = "Log {Directory}: retention deleted {Segments} segments; the log now starts at offset {Start}")]
    public static partial void RetentionApplied(ILogger logger, string directory, int segments, long start);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Log {Directory}: wrote {Requests} requests, {Records} records from offset {First}, {Bytes} bytes")]
    public static partial void BatchWritten(ILogger logger, string directory, int requests, long records, long first, long bytes);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Log {Directory}: fsync up to offset {Next} took {Milliseconds:0.000} ms")]
    public static partial void Synced(ILogger logger, string directory, long next, double milliseconds);

    [LoggerMessage(Level = LogLevel.Trace, Message = "Log {Directory}: record {Offset} id {Id}, {Bytes} bytes")]
    public static partial void RecordAppended(ILogger logger, string directory, long offset, string id, int bytes);

    [LoggerMessage(Level = LogLevel.Error, Message = "Log {Directory}: writing a batch of {Requests} requests failed; the partition is read-only until reopened")]
    public static partial void WriteFailed(ILogger logger, string directory, int requests, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Log {Directory}: fsync failed; the partition is read-only until reopened")]
    public static partial void SyncFailed(ILogger logger, string directory, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Log {Directory}: the bytes of a failed write past position {Position} could not be cut now; recovery cuts them at the next open")]
    public static partial void TruncateFailed(ILogger logger, string directory, long position, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Log {Directory}: zeros could not be written ahead of the last record (appends go on, growing the file as they go)")]
    public static partial void ZeroAheadFailed(ILogger logger, string directory, Exception exception);
}
