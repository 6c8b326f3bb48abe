using System.Buffers;

namespace Efflux.Grains;

/// <summary>
/// Builds <see cref="ReadOnlySequence{T}"/> values of bytes from pieces. A sequence travels on the wire piece by piece
/// and arrives in the same pieces, each in an array of its own: megabytes of data in pieces below the large-object
/// threshold are young-generation garbage for the reader, not large-object-heap churn.
/// </summary>
internal static class ByteSequence
{
    /// <summary>The pieces, in order, as one sequence (empty pieces are left out).</summary>
    public static ReadOnlySequence<byte> Of(IReadOnlyList<byte[]> pieces)
    {
        ArgumentNullException.ThrowIfNull(pieces);
        Piece? first = null;
        Piece? last = null;
        foreach (var array in pieces)
        {
            if (array.Length == 0)
            {
                continue;
            }

            var piece = new Piece(array, last is null ? 0 : last.RunningIndex + last.Memory.Length);
            if (last is null)
            {
                first = piece;
            }
            else
            {
                last.Append(piece);
            }

            last = piece;
        }

        return first is null ? ReadOnlySequence<byte>.Empty
            : ReferenceEquals(first, last) ? new ReadOnlySequence<byte>(first.Memory)
            : new ReadOnlySequence<byte>(first, 0, last!, last!.Memory.Length);
    }

    private sealed class Piece : ReadOnlySequenceSegment<byte>
    {
        public Piece(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public void Append(Piece next) => Next = next;
    }
}
