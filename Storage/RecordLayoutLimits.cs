namespace Efflux.Storage;

/// <summary>Limits that follow from the on-disk formats.</summary>
internal static class RecordLayoutLimits
{
    /// <summary>Positions within a segment are 32-bit, so a segment stays below 2 GiB; 1 GiB leaves room for one large record.</summary>
    public const long MaxSegmentBytes = 1L << 30;
}
