namespace Efflux.Processing.Runtime.Aggregation;

/// <summary>SUM (whole while every input is whole and the sum fits, else a float) and AVG (always a float).</summary>
internal sealed class SumAggregator(bool average) : Aggregator
{
    private long _count;
    private long _wholeSum;
    private bool _whole = true;
    private double _realSum;

    public override Value Result => _count == 0 ? Value.Null
        : average ? Value.From(Total / _count)
        : _whole ? Value.From(_wholeSum) : Value.From(Total);

    private double Total => _whole ? _wholeSum : _realSum;

    public override void Add(Value value)
    {
        if (!value.IsNumber)
        {
            return;
        }

        _count++;
        if (_whole && value.Kind == ValueKind.Whole)
        {
            try
            {
                _wholeSum = checked(_wholeSum + value.AsLong);
                return;
            }
            catch (OverflowException)
            {
                // Leave whole arithmetic; the float sum takes over below.
            }
        }

        if (_whole)
        {
            _whole = false;
            _realSum = _wholeSum;
        }

        _realSum += value.AsDouble;
    }
}
