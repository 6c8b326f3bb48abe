using System.Runtime.InteropServices;
using Efflux.Format;

namespace Efflux.Grains.Streams;

/// <summary>
/// The records of one partition that a queue holds for the partition's subscribers: a contiguous run of offsets
/// [<see cref="Low"/>, <see cref="High"/>), at most <see cref="EffluxStreamOptions.WindowRecords"/> of them. Records
/// leave once every cursor has passed them. A cursor behind <see cref="Low"/> asks for a rewind, and the queue reads the
/// partition again from there: a subscriber that falls behind reads from the log, never from unbounded memory.
/// Records are held where they were read (slices of the fetched pieces).
/// Used under the lock of its <see cref="StreamQueue"/>.
/// </summary>
internal sealed class StreamWindow(StreamId stream, int partition)
{
    /// <summary>A run of records in one block at least this long is handed out as a slice.</summary>
    private const int SliceRecords = 64;

    /// <summary>The most bytes joined into one copied block (below the large-object threshold).</summary>
    private const int JoinBytes = 64 << 10;

    private readonly List<Held> _records = [];
    private readonly HashSet<StreamCursor> _cursors = [];
    private int _head;

    public StreamId Stream { get; } = stream;

    public int Partition { get; } = partition;

    /// <summary>Whether the queue has read (or announced) a position of this partition yet.</summary>
    public bool Known { get; private set; }

    /// <summary>The offset of the first record held.</summary>
    public long Low { get; private set; }

    /// <summary>The offset after the last record held: the next the queue reads.</summary>
    public long High => Low + Count;

    /// <summary>Records held.</summary>
    public int Count => _records.Count - _head;

    /// <summary>The oldest offset the partition still stores; cursors below it move up to it.</summary>
    public long Floor { get; set; }

    /// <summary>The lowest offset a cursor behind the window waits for, or null.</summary>
    public long? Rewind { get; private set; }

    /// <summary>The offset below which every record read has gone to every cursor (never decreases).</summary>
    public long Delivered { get; private set; }

    /// <summary>
    /// Takes <paramref name="count"/> records read from the partition (framed, back to back in
    /// <paramref name="records"/>, their framing checked by the receiver that read them); a run that does not continue
    /// the window replaces it.
    /// </summary>
    public void Append(long firstOffset, ReadOnlyMemory<byte> records, int count)
    {
        if (!Known || firstOffset != High)
        {
            Reset(firstOffset);
        }

        var block = MemoryMarshal.TryGetArray(records, out var segment) ? segment : new ArraySegment<byte>(records.ToArray());
        var at = 0;
        for (var i = 0; i < count; i++)
        {
            var length = RecordLayout.ReadLength(block.AsSpan(at));
            _records.Add(new Held(block.Array!, block.Offset + at, length));
            at += length;
        }
    }

    /// <summary>Learns the partition's position without records (the queue found it caught up).</summary>
    public void Announce(long next)
    {
        if (!Known || (Count == 0 && next > Low))
        {
            Reset(next);
        }
    }

    /// <summary>Starts the window again at <paramref name="offset"/>, empty (the queue rereads from there).</summary>
    public void Reset(long offset)
    {
        _records.Clear();
        _head = 0;
        Low = offset;
        Known = true;
        if (Rewind <= offset)
        {
            Rewind = null;
        }
    }

    /// <summary>Whether the queue has stopped reading the partition (the window stays while cursors hold it).</summary>
    public bool Dropped { get; set; }

    /// <summary>Empties the window and forgets the partition's position (its queue no longer reads it); cursors stay.</summary>
    public void Drop()
    {
        Dropped = true;
        _records.Clear();
        _head = 0;
        Low = 0;
        Known = false;
        Rewind = null;
        Delivered = 0;
        Floor = 0;
    }

    public void Add(StreamCursor cursor) => _cursors.Add(cursor);

    public void Remove(StreamCursor cursor) => _cursors.Remove(cursor);

    public int Cursors => _cursors.Count;

    /// <summary>Records that a cursor waits at <paramref name="offset"/>, below the window.</summary>
    public void AskRewind(long offset) => Rewind = Rewind is { } r && r <= offset ? r : offset;

    /// <summary>
    /// Drops the records every cursor has passed, but the last <paramref name="margin"/> of them, and advances
    /// <see cref="Delivered"/>. The margin is there because Orleans goes back to the last record it delivered when a
    /// subscriber answers a delivery with its own position (a handshake); were that record gone, the new cursor would
    /// ask for a reread, and could again find it gone.
    /// </summary>
    public void Evict(int margin)
    {
        if (!Known)
        {
            return;
        }

        var passed = High;
        foreach (var cursor in _cursors)
        {
            passed = Math.Min(passed, cursor.Position < 0 ? Low : cursor.Position);
        }

        if (passed > Delivered)
        {
            Delivered = passed;
        }

        var drop = (int)Math.Clamp(passed - margin - Low, 0, Count);
        if (drop == 0)
        {
            return;
        }

        _head += drop;
        Low += drop;
        if (_head > 4096 && _head * 2 > _records.Count)
        {
            _records.RemoveRange(0, _head);
            _head = 0;
        }
    }

    /// <summary>
    /// Up to <paramref name="max"/> records from <paramref name="offset"/> as one block; <paramref name="count"/> is how
    /// many it holds (at least one). A long run read into one block (a subscriber catching up) is handed out as a slice
    /// of it, not copied, ending where the block does; records read a few at a time (a subscriber keeping up) are
    /// joined into one copied block of at most about <see cref="JoinBytes"/>.
    /// </summary>
    public ReadOnlyMemory<byte> Take(long offset, int max, out int count)
    {
        var from = _head + (int)(offset - Low);
        var first = _records[from];
        var end = first.Start + first.Length;
        count = 1;
        while (count < max && from + count < _records.Count && _records[from + count] is var next && next.Block == first.Block && next.Start == end)
        {
            end += next.Length;
            count++;
        }

        if (count == max || count >= SliceRecords)
        {
            return new ReadOnlyMemory<byte>(first.Block, first.Start, end - first.Start);
        }

        var length = first.Length;
        count = 1;
        while (count < max && from + count < _records.Count && length + _records[from + count].Length <= JoinBytes)
        {
            length += _records[from + count].Length;
            count++;
        }

        var joined = new byte[length];
        var at = 0;
        for (var i = from; i < from + count; i++)
        {
            _records[i].Block.AsSpan(_records[i].Start, _records[i].Length).CopyTo(joined.AsSpan(at));
            at += _records[i].Length;
        }

        return joined;
    }

    /// <summary>Where a held record is: a range of the block it was read in.</summary>
    private readonly record struct Held(byte[] Block, int Start, int Length);
}
