namespace Efflux.Processing.Runtime.Aggregation;

/// <summary>MIN or MAX over comparable non-null values (numbers with numbers, strings with strings).</summary>
internal sealed class ExtremeAggregator(bool minimum) : Aggregator
{
    private Value _best;

    public override Value Result => _best;

    public override void Add(Value value)
    {
        if (value.IsNull)
        {
            return;
        }

        if (_best.IsNull || Value.Compare(value, _best) is { } c && (minimum ? c < 0 : c > 0))
        {
            _best = value;
        }
    }
}
