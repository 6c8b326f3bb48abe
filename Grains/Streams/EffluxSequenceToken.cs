using System.Globalization;
using Orleans.Streams;

namespace Efflux.Grains.Streams;

/// <summary>
/// The position of one record in the Efflux stream provider: its partition and offset. A stream is one partition, so
/// tokens of one stream compare by offset. Any <see cref="StreamSequenceToken"/> given to a subscription is read as an
/// offset through its <see cref="StreamSequenceToken.SequenceNumber"/>.
/// </summary>
[GenerateSerializer]
[Immutable]
[Alias("efflux.SequenceToken")]
public sealed class EffluxSequenceToken : StreamSequenceToken
{
    /// <summary>The token of the record at <paramref name="offset"/> of <paramref name="partition"/>.</summary>
    public EffluxSequenceToken(int partition, long offset)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(partition);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        Partition = partition;
        SequenceNumber = offset;
    }

    /// <summary>The partition.</summary>
    [Id(0)] public int Partition { get; private set; }

    /// <summary>The record's offset.</summary>
    [Id(1)] public override long SequenceNumber { get; protected set; }

    /// <summary>Always 0: a token names one record.</summary>
    public override int EventIndex { get => 0; protected set { } }

    /// <summary>The record's offset (the same as <see cref="SequenceNumber"/>).</summary>
    public long Offset => SequenceNumber;

    /// <inheritdoc />
    public override bool Equals(StreamSequenceToken? other)
        => other is EffluxSequenceToken token && token.Partition == Partition && token.SequenceNumber == SequenceNumber;

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as StreamSequenceToken);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Partition, SequenceNumber);

    /// <inheritdoc />
    public override int CompareTo(StreamSequenceToken? other)
        => other is null ? 1 : SequenceNumber != other.SequenceNumber ? SequenceNumber.CompareTo(other.SequenceNumber) : EventIndex.CompareTo(other.EventIndex);

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Partition}@{SequenceNumber}");
}
