namespace Efflux.Storage.Log;

/// <summary>
/// Caller-supplied ids appended within the idempotency window, with their offsets. Owned by the writer thread; never
/// touched by readers. Bounded by age and by count: the oldest entries go first.
/// </summary>
internal sealed class IdempotencyTable(TimeSpan window, int maxEntries)
{
    private readonly Dictionary<string, long> _offsets = new(StringComparer.Ordinal);
    private readonly Queue<(string Id, long Ticks)> _order = new();

    public bool TryGet(string id, out long offset) => _offsets.TryGetValue(id, out offset);

    public void Add(string id, long offset, long nowTicks)
    {
        if (maxEntries == 0)
        {
            return;
        }

        _offsets[id] = offset;
        _order.Enqueue((id, nowTicks));
        while (_order.Count > maxEntries)
        {
            _offsets.Remove(_order.Dequeue().Id);
        }
    }

    public void Evict(long nowTicks)
    {
        var oldest = nowTicks - window.Ticks;
        while (_order.TryPeek(out var head) && head.Ticks < oldest)
        {
            _order.Dequeue();
            _offsets.Remove(head.Id);
        }
    }
}
