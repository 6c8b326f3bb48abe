namespace Efflux.Grains.Streams;

/// <summary>
/// The records of one partition that a queue holds for the partition's subscribers: a contiguous run of offsets
/// [<see cref="Low"/>, <see cref="High"/>), at most <see cref="EffluxStreamOptions.WindowRecords"/> of them. Records
/// leave once every cursor has passed them. A cursor behind <see cref="Low"/> asks for a rewind, and the queue reads the
/// partition again from there: a subscriber that falls behind reads from the log, never from unbounded memory.
/// Used under the lock of its <see cref="StreamQueue"/>.
/// </summary>
internal sealed class StreamWindow(StreamId stream, int partition)
{
    private readonly List<ReadOnlyMemory<byte>> _records = [];
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

    /// <summary>Takes records read from the partition; a run that does not continue the window replaces it.</summary>
    public void Append(long firstOffset, IReadOnlyList<ReadOnlyMemory<byte>> records)
    {
        if (!Known || firstOffset != High)
        {
            Reset(firstOffset);
        }

        _records.AddRange(records);
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

    /// <summary>The records at [<paramref name="offset"/>, <paramref name="offset"/> + <paramref name="count"/>) as one block.</summary>
    public byte[] Copy(long offset, int count)
    {
        var from = _head + (int)(offset - Low);
        var length = 0;
        for (var i = 0; i < count; i++)
        {
            length += _records[from + i].Length;
        }

        var block = new byte[length];
        var at = 0;
        for (var i = 0; i < count; i++)
        {
            _records[from + i].Span.CopyTo(block.AsSpan(at));
            at += _records[from + i].Length;
        }

        return block;
    }
}
