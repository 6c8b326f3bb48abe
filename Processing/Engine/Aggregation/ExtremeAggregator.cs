namespace Efflux.Processing.Engine.Aggregation;

/// <summary>
/// MIN or MAX. A monotonic deque of (arrival, value): a new value drops every older one it beats, so the front is
/// always the answer and removing the oldest value is O(1).
/// </summary>
internal sealed class ExtremeAggregator(bool minimum) : Aggregator
{
    private readonly LinkedList<(long Sequence, Value Value)> _deque = new();

    public override Value Result => _deque.First?.Value.Value ?? Value.Null;

    public override void Reset() => _deque.Clear();

    public override void Save(State.StateWriter writer) => SequencedValues.Save(writer, _deque);

    public override void Load(State.StateReader reader) => SequencedValues.Load(reader, _deque);

    public override void Add(Value value, long sequence)
    {
        if (value.IsNull)
        {
            return;
        }

        while (_deque.Last is { } last && Value.Compare(value, last.Value.Value) is { } c && (minimum ? c <= 0 : c >= 0))
        {
            _deque.RemoveLast();
        }

        _deque.AddLast((sequence, value));
    }

    public override void Remove(Value value, long sequence)
    {
        if (_deque.First is { } first && first.Value.Sequence == sequence)
        {
            _deque.RemoveFirst();
        }
    }
}
