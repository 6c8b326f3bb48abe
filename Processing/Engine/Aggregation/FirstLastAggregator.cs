namespace Efflux.Processing.Engine.Aggregation;

/// <summary>FIRST or LAST non-null value by arrival order: the two ends of a queue of the window's non-null values.</summary>
internal sealed class FirstLastAggregator(bool first) : Aggregator
{
    private readonly LinkedList<(long Sequence, Value Value)> _values = new();

    public override Value Result => (first ? _values.First : _values.Last)?.Value.Value ?? Value.Null;

    public override void Reset() => _values.Clear();

    public override void Save(State.StateWriter writer) => SequencedValues.Save(writer, _values);

    public override void Load(State.StateReader reader) => SequencedValues.Load(reader, _values);

    public override void Add(Value value, long sequence)
    {
        if (!value.IsNull)
        {
            _values.AddLast((sequence, value));
        }
    }

    public override void Remove(Value value, long sequence)
    {
        if (_values.First is { } oldest && oldest.Value.Sequence == sequence)
        {
            _values.RemoveFirst();
        }
    }
}
