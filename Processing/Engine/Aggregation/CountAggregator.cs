namespace Efflux.Processing.Engine.Aggregation;

/// <summary>COUNT(*) counts events; COUNT(x) counts non-null x.</summary>
internal sealed class CountAggregator(bool star) : Aggregator
{
    private long _count;

    public override Value Result => Value.From(_count);

    public override void Reset() => _count = 0;

    public override void Merge(Aggregator other) => _count += ((CountAggregator)other)._count;

    public override bool TryUnmerge(Aggregator other)
    {
        _count -= ((CountAggregator)other)._count;
        return true;
    }

    public override void Save(State.StateWriter writer) => writer.Write(_count);

    public override void Load(State.StateReader reader) => _count = reader.ReadLong();

    public override void Add(Value value, long sequence)
    {
        if (star || !value.IsNull)
        {
            _count++;
        }
    }

    public override void Remove(Value value, long sequence)
    {
        if (star || !value.IsNull)
        {
            _count--;
        }
    }
}
