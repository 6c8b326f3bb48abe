namespace Efflux.Processing.Runtime.Aggregation;

/// <summary>Population standard deviation by Welford's running mean and sum of squared deviations (numerically stable).</summary>
internal sealed class StdDevAggregator : Aggregator
{
    private long _count;
    private double _mean;
    private double _m2;

    public override Value Result => _count == 0 ? Value.Null : Value.From(Math.Sqrt(Math.Max(0, _m2 / _count)));

    public override void Add(Value value)
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
}
