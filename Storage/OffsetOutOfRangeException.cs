namespace Efflux.Storage;

/// <summary>A read asked for an offset below the partition's first retained offset.</summary>
public sealed class OffsetOutOfRangeException : ArgumentOutOfRangeException
{
    /// <summary>Creates the exception.</summary>
    public OffsetOutOfRangeException(long offset, long startOffset, long nextOffset)
        : base(nameof(offset), offset, $"Offset {offset} is outside the partition's range [{startOffset}, {nextOffset}).")
    {
        RequestedOffset = offset;
        StartOffset = startOffset;
        NextOffset = nextOffset;
    }

    /// <summary>The offset asked for.</summary>
    public long RequestedOffset { get; }

    /// <summary>The first retained offset.</summary>
    public long StartOffset { get; }

    /// <summary>The next offset to be written.</summary>
    public long NextOffset { get; }
}
