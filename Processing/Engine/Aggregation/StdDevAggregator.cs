namespace Efflux.Processing.Engine.Aggregation;

/// <summary>
/// Population standard deviation by Welford's running mean and sum of squared deviations (numerically stable), with
/// the exact inverse step for removal.
/// </summary>
internal sealed class StdDevAggregator : Aggregator
{
    private long _count;
    private double _mean;
    private double _m2;

    public override Value Result => _count == 0 ? Value.Null : Value.From(Math.Sqrt(Math.Max(0, _m2 / _count)));

    public override void Reset()
    {
        _count = 0;
        _mean = 0;
        _m2 = 0;
    }

    /// <summary>Chan et al.'s parallel combination of two (count, mean, M2) summaries.</summary>
    public override void Merge(Aggregator other)
    {
        var o = (StdDevAggregator)other;
        if (o._count == 0)
        {
            return;
        }

        var count = _count + o._count;
        var delta = o._mean - _mean;
        _m2 += o._m2 + (delta * delta * _count * o._count / count);
        _mean += delta * o._count / count;
        _count = count;
    }

    public override void Save(State.StateWriter writer)
    {
        writer.Write(_count);
        writer.Write(_mean);
        writer.Write(_m2);
    }

    public override void Load(State.StateReader reader)
    {
        _count = reader.ReadLong();
        _mean = reader.ReadDouble();
        _m2 = reader.ReadDouble();
    }

    public override void Add(Value value, long sequence)
    {
        if (!value.IsNumber)
        {
            return;
        }

        var x = value.AsDouble;
        _count++;
        var delta = x - _mean;
        _mean += delta / _count;
        _m2 += delta * (x - _mean);
    }

    public override void Remove(Value value, long sequence)
    {
        if (!value.IsNumber)
        {
            return;
        }

        if (--_count == 0)
        {
            _mean = 0;
            _m2 = 0;
            return;
        }

        var x = value.AsDouble;
        var oldMean = _mean;
        _mean = ((oldMean * (_count + 1)) - x) / _count;
        _m2 -= (x - oldMean) * (x - _mean);
        if (_count == 1)
        {
            // One value deviates by nothing; cut the rounding residue the inverse steps leave behind.
            _m2 = 0;
        }
    }
}
