using Orleans.Streams;

namespace Efflux.Grains.Streams;

/// <summary>
/// One subscriber's position in a partition's <see cref="StreamWindow"/>. The first container it hands out holds one
/// record (the one its token names); later ones hold up to <see cref="EffluxStreamOptions.DeliveryBatch"/> records
/// (fewer where a long run read into one block ends, or a joined block is full: see <see cref="StreamWindow.Take"/>),
/// and each is tokened by its last record, so Orleans' resume after a delivered container continues exactly after it.
/// </summary>
internal sealed class StreamCursor : IQueueCacheCursor
{
    private readonly StreamQueue _queue;
    private readonly StreamWindow _window;
    private EffluxBatchContainer? _current;
    private bool _first = true;

    public StreamCursor(StreamQueue queue, StreamWindow window, long position)
    {
        _queue = queue;
        _window = window;
        Position = position;
    }

    /// <summary>The next offset to hand out; negative: the oldest record the window holds when it is first asked.</summary>
    public long Position { get; private set; }

    public IBatchContainer? GetCurrent(out Exception? exception)
    {
        exception = null;
        return _current;
    }

    public bool MoveNext()
    {
        lock (_queue.Sync)
        {
            var window = _window;
            if (!window.Known)
            {
                return false;
            }

            if (Position < 0)
            {
                Position = window.Low;
            }

            if (Position < window.Floor)
            {
                Position = window.Floor;
            }

            if (Position < window.Low)
            {
                StreamQueue.LogBehind(_queue.Logger, Position, window.Stream, window.Low, window.High, window.Cursors);
                window.AskRewind(Position);
                _queue.Wake();
                return false;
            }

            if (Position >= window.High)
            {
                return false;
            }

            var records = window.Take(Position, (int)Math.Min(window.High - Position, _first ? 1 : _queue.Options.DeliveryBatch), out var count);
            _first = false;
            var last = Position + count - 1;
            _current = new EffluxBatchContainer(window.Stream, window.Partition, Position, count, records, new EffluxSequenceToken(window.Partition, last));
            Position += count;
            if (window.Count >= _queue.Options.WindowRecords)
            {
                _queue.Wake();
            }

            return true;
        }
    }

    public void Refresh(StreamSequenceToken token)
    {
    }

    public void RecordDeliveryFailure()
    {
    }

    public void Dispose()
    {
        _queue.Release(_window, this);
    }
}
