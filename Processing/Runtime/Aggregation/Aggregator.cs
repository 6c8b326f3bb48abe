namespace Efflux.Processing.Runtime.Aggregation;

/// <summary>
/// The running state of one aggregate call for one group and window. Adding is O(1); <see cref="Result"/> is O(1).
/// Over no non-null values COUNT gives 0 and every other aggregate NULL.
/// </summary>
public abstract class Aggregator
{
    /// <summary>Adds one value (NULLs are ignored, except by COUNT(*), which counts events).</summary>
    public abstract void Add(Value value);

    /// <summary>The aggregate over everything added.</summary>
    public abstract Value Result { get; }

    /// <summary>A fresh aggregator for the named aggregate.</summary>
    public static Aggregator Create(string name, bool star) => name switch
    {
        "COUNT" => new CountAggregator(star),
        "SUM" => new SumAggregator(average: false),
        "AVG" => new SumAggregator(average: true),
        "MIN" => new ExtremeAggregator(minimum: true),
        "MAX" => new ExtremeAggregator(minimum: false),
        "STDDEV" => new StdDevAggregator(),
        "FIRST" => new FirstLastAggregator(first: true),
        "LAST" => new FirstLastAggregator(first: false),
        _ => throw new ArgumentException($"{name} is not an aggregate.", nameof(name)),
    };
}
