using Efflux.Grains.Placement;
using Efflux.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Efflux.Grains;

/// <summary>
/// One sealed segment of a partition: reads and verification of records that will never change, in an activation of
/// their own (its own file handle and positions; idle ones are collected). Key: <c>{ns}/{topic}/{partition}/{baseOffset}</c>.
/// It is placed on its partition's home silo, where the file is.
/// </summary>
[Alias("efflux.segment")]
internal interface ISegmentGrain : IGrainWithStringKey
{
    /// <summary>Records from <paramref name="fromOffset"/>, to at most the segment's end.</summary>
    [ReadOnly]
    Task<RecordBatch> FetchBatchAsync(long fromOffset, int max, long maxBytes);

    /// <summary>Re-hashes the segment; its first record must link to <paramref name="linkedFingerprint"/>.</summary>
    [ReadOnly]
    Task<VerifyResult> VerifyAsync(byte[] linkedFingerprint);

    /// <summary>Closes the segment (its partition was deleted, reopened or closed).</summary>
    Task CloseAsync();
}

[HomeSiloPlacement]
[Reentrant]
[GrainType("efflux.segment")]
internal sealed partial class SegmentGrain(IOptions<EffluxOptions> options, ILogger<SegmentGrain> logger) : Grain, ISegmentGrain
{
    private SealedSegment? _segment;
    private int _partition;

    private SealedSegment Segment => _segment ?? throw new EffluxException(EffluxError.Unavailable, "The segment is closed.");

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var key = this.GetPrimaryKeyString();
        var parts = GrainKeys.Split(key);
        if (parts.Length != 4
            || !int.TryParse(parts[2], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out _partition)
            || !long.TryParse(parts[3], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var baseOffset))
        {
            throw EffluxException.Invalid($"'{key}' is not namespace/topic/partition/baseOffset.");
        }

        try
        {
            _segment = SealedSegment.Open(options.Value.FullDataDirectory, parts[0], parts[1], _partition, baseOffset);
        }
        catch (FileNotFoundException missing)
        {
            LogMissing(logger, key);
            throw new EffluxException(EffluxError.NotFound, missing.Message);
        }
        catch (Exception ex) when (StorageErrors.Translate(ex) is { } error)
        {
            LogOpenFailed(logger, key, ex);
            throw error;
        }

        LogOpened(logger, key, _segment.NextOffset - baseOffset);
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _segment?.Dispose();
        _segment = null;
        return Task.CompletedTask;
    }

    public Task<RecordBatch> FetchBatchAsync(long fromOffset, int max, long maxBytes)
        => Task.FromResult(RecordMapper.ToBatch(_partition, StorageErrors.Guard(() => Segment.ReadRaw(fromOffset, max, maxBytes))));

    public async Task<VerifyResult> VerifyAsync(byte[] linkedFingerprint)
    {
        var segment = Segment;
        return RecordMapper.ToResult(_partition, await Task.Run(() => segment.Verify(linkedFingerprint)));
    }

    public Task CloseAsync()
    {
        DeactivateOnIdle();
        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Sealed segment {Segment} opened ({Records} records)")]
    private static partial void LogOpened(ILogger logger, string segment, long records);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sealed segment {Segment} is not on this silo's disk (deleted by retention, or the partition moved)")]
    private static partial void LogMissing(ILogger logger, string segment);

    [LoggerMessage(Level = LogLevel.Error, Message = "Sealed segment {Segment} could not be opened")]
    private static partial void LogOpenFailed(ILogger logger, string segment, Exception exception);
}
