namespace Efflux.Processing.Runtime.Aggregation;

/// <summary>FIRST or LAST non-null value by arrival order.</summary>
internal sealed class FirstLastAggregator(bool first) : Aggregator
{
    private Value _value;

    public override Value Result => _value;

    public override void Add(Value value)
    {
        if (!value.IsNull && (!first || _value.IsNull))
        {
            _value = value;
        }
    }
}
