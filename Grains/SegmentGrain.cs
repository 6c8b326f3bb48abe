using Efflux.Grains.Placement;
using Efflux.Storage;
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
internal sealed class SegmentGrain(IOptions<EffluxOptions> options) : Grain, ISegmentGrain
{
    private SealedSegment? _segment;
    private int _partition;

    private SealedSegment Segment => _segment ?? throw new EffluxException(EffluxError.Unavailable, "The segment is closed.");

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var parts = GrainKeys.Split(this.GetPrimaryKeyString());
        if (parts.Length != 4
            || !int.TryParse(parts[2], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out _partition)
            || !long.TryParse(parts[3], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var baseOffset))
        {
            throw EffluxException.Invalid($"'{this.GetPrimaryKeyString()}' is not namespace/topic/partition/baseOffset.");
        }

        try
        {
            _segment = SealedSegment.Open(options.Value.FullDataDirectory, parts[0], parts[1], _partition, baseOffset);
        }
        catch (FileNotFoundException missing)
        {
            throw new EffluxException(EffluxError.NotFound, missing.Message);
        }
        catch (Exception ex) when (StorageErrors.Translate(ex) is { } error)
        {
            throw error;
        }

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
}
