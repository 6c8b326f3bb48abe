namespace Efflux.Processing.Engine.Aggregation;

/// <summary>
/// The running state of SUM (<see cref="Result"/>: whole while every value in the window is whole and the sum fits,
/// else a float) and AVG (<see cref="Average"/>: always a float); SUM(x) and AVG(x) share one. Both sums run side by
/// side so that removing values keeps the whole sum exact; while every value is whole, AVG divides the exact whole sum,
/// so a sliding window may subtract a pane's sums and still give what merging its panes gives.
/// </summary>
internal sealed class SumAggregator : Aggregator
{
    private long _count;
    private long _reals;
    private long _wholeSum;
    private long _overflows;
    private double _realSum;

    public override Value Result => _count == 0 ? Value.Null : IsWhole ? Value.From(_wholeSum) : Value.From(_realSum);

    /// <summary>AVG over the same values: NULL over none.</summary>
    public Value Average => _count == 0 ? Value.Null : Value.From((IsWhole ? _wholeSum : _realSum) / _count);

    private bool IsWhole => _reals == 0 && _overflows == 0;

    public override void Add(Value value, long sequence) => Apply(value, +1);

    public override void Reset()
    {
        _count = 0;
        _reals = 0;
        _wholeSum = 0;
        _overflows = 0;
        _realSum = 0;
    }

    public override void Merge(Aggregator other)
    {
        var o = (SumAggregator)other;
        if (IsWhole)
        {
            // The float sum restarts from the exact whole one, as it would after merging the same panes afresh.
            _realSum = _wholeSum;
        }

        _count += o._count;
        _reals += o._reals;
        _realSum += o._realSum;
        _overflows += o._overflows;
        var before = _wholeSum;
        _wholeSum = unchecked(_wholeSum + o._wholeSum);
        if (o._wholeSum > 0 && _wholeSum < before)
        {
            _overflows++;
        }
        else if (o._wholeSum < 0 && _wholeSum > before)
        {
            _overflows--;
        }
    }

    public override bool TryUnmerge(Aggregator other)
    {
        var o = (SumAggregator)other;
        if (!IsWhole || !o.IsWhole)
        {
            return false;
        }

        var whole = _wholeSum - o._wholeSum;
        if (((_wholeSum ^ o._wholeSum) & (_wholeSum ^ whole)) < 0)
        {
            // The difference does not fit: no exact answer here.
            return false;
        }

        _count -= o._count;
        _wholeSum = whole;
        _realSum = whole;
        return true;
    }

    public override void Save(State.StateWriter writer)
    {
        writer.Write(_count);
        writer.Write(_reals);
        writer.Write(_wholeSum);
        writer.Write(_overflows);
        writer.Write(_realSum);
    }

    public override void Load(State.StateReader reader)
    {
        _count = reader.ReadLong();
        _reals = reader.ReadLong();
        _wholeSum = reader.ReadLong();
        _overflows = reader.ReadLong();
        _realSum = reader.ReadDouble();
    }

    public override void Remove(Value value, long sequence) => Apply(value, -1);

    private void Apply(Value value, int sign)
    {
        if (!value.IsNumber)
        {
            return;
        }

        _count += sign;
        _realSum += sign * value.AsDouble;
        if (value.Kind == ValueKind.Real)
        {
            _reals += sign;
            return;
        }

        var before = _wholeSum;
        _wholeSum = unchecked(_wholeSum + (sign * value.AsLong));

        // Count wraps in either direction; the whole sum is trusted again once they cancel out.
        if (sign * value.AsLong > 0 && _wholeSum < before)
        {
            _overflows += 1;
        }
        else if (sign * value.AsLong < 0 && _wholeSum > before)
        {
            _overflows -= 1;
        }
    }
}
