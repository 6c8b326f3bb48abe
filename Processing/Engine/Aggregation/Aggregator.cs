namespace Efflux.Processing.Engine.Aggregation;

/// <summary>
/// The running state of one aggregate call for one group and window. Adding, removing and <see cref="Result"/> are O(1)
/// (amortised O(1) for MIN, MAX, FIRST and LAST, which keep monotonic deques). Removal must follow arrival order, as it
/// does when events leave a LENGTH or TIME window. Over no non-null values COUNT gives 0 and every other aggregate NULL.
/// </summary>
public abstract class Aggregator
{
    /// <summary>Adds one value (NULLs are ignored, except by COUNT(*), which counts events); <paramref name="sequence"/> is the event's arrival number.</summary>
    public abstract void Add(Value value, long sequence);

    /// <summary>Removes the oldest added value (the one added with <paramref name="sequence"/>).</summary>
    public abstract void Remove(Value value, long sequence);

    /// <summary>Forgets everything added, for reuse in another window.</summary>
    public abstract void Reset();

    /// <summary>The aggregate over everything added.</summary>
    public abstract Value Result { get; }

    /// <summary>
    /// Folds in another aggregator of the same kind that covered later events (panes of a sliding window are merged in
    /// time order). The default merges through the other's result, which is exact for MIN, MAX, FIRST and LAST.
    /// </summary>
    public virtual void Merge(Aggregator other)
    {
        ArgumentNullException.ThrowIfNull(other);
        Add(other.Result, long.MaxValue);
    }

    /// <summary>
    /// Takes back out an aggregator that was merged in earlier (the oldest pane leaving a sliding window), when that can be
    /// done exactly; false, with this aggregator unspecified, when it cannot (the caller then rebuilds it from its panes).
    /// </summary>
    public virtual bool TryUnmerge(Aggregator other) => false;

    /// <summary>Writes the running state.</summary>
    public abstract void Save(State.StateWriter writer);

    /// <summary>Reads the running state written by <see cref="Save"/> into a fresh aggregator of the same kind.</summary>
    public abstract void Load(State.StateReader reader);

    /// <summary>A factory of fresh aggregators for the named aggregate.</summary>
    public static Func<Aggregator> Factory(string name, bool star) => name switch
    {
        "COUNT" => () => new CountAggregator(star),
        "SUM" or "AVG" => () => new SumAggregator(),
        "MIN" => () => new ExtremeAggregator(minimum: true),
        "MAX" => () => new ExtremeAggregator(minimum: false),
        "STDDEV" => () => new StdDevAggregator(),
        "FIRST" => () => new FirstLastAggregator(first: true),
        "LAST" => () => new FirstLastAggregator(first: false),
        _ => throw new ArgumentException($"{name} is not an aggregate.", nameof(name)),
    };
}
