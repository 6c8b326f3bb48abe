using Efflux.Processing.Syntax;

namespace Efflux.Processing.Runtime.Aggregation;

/// <summary>
/// The compiled select list, HAVING and GROUP BY of an aggregating statement. Each aggregate call gets an index; a
/// group holds one <see cref="Aggregator"/> per index, fed with the call's argument per event.
/// </summary>
public sealed class AggregatePlan
{
    private readonly List<(string Name, bool Star, Compiled? Argument)> _aggregates = [];
    private readonly RowProjection _select;
    private readonly Compiled? _having;
    private readonly Compiled[] _groupBy;
    private readonly EventScope _eventScope = new();
    private readonly GroupScope _groupScope = new();
    private readonly Value[] _scratch;
    private readonly Func<Aggregator>[] _factories;
    private readonly Compiled?[] _arguments;

    /// <summary>Compiles the statement's aggregation.</summary>
    public AggregatePlan(Statement statement)
    {
        ArgumentNullException.ThrowIfNull(statement);
        _select = new RowProjection([.. statement.Select.Select(i => (i.Name, ExpressionCompiler.Compile(i.Expression!, Register)))]);
        _having = statement.Having is null ? null : ExpressionCompiler.Compile(statement.Having, Register);
        _groupBy = [.. statement.GroupBy.Select(g => ExpressionCompiler.Compile(g))];

        // Resolve each aggregate's kind once; a new group then only allocates.
        _factories = [.. _aggregates.Select(a => Aggregator.Factory(a.Name, a.Star))];
        _arguments = [.. _aggregates.Select(a => a.Argument)];
        _scratch = new Value[_groupBy.Length];
        _groupScope.Results = new Value[_aggregates.Count];
    }

    /// <summary>The group of an event (a new key the caller may keep).</summary>
    public GroupKey KeyOf(Event e) => new(Evaluate(e, new Value[_groupBy.Length]));

    /// <summary>
    /// The group of an event in a scratch key that the next call overwrites: for dictionary look-ups on the hot path,
    /// which copy it only when they insert a new group.
    /// </summary>
    public GroupKey ScratchKeyOf(Event e) => new(Evaluate(e, _scratch));

    private Value[] Evaluate(Event e, Value[] values)
    {
        _eventScope.Event = e;
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = _groupBy[i](_eventScope);
        }

        return values;
    }

    /// <summary>Writes a group's aggregators.</summary>
    public static void Save(State.StateWriter writer, Aggregator[] aggregators)
    {
        ArgumentNullException.ThrowIfNull(writer);
        foreach (var a in aggregators)
        {
            a.Save(writer);
        }
    }

    /// <summary>Reads a group's aggregators written by <see cref="Save"/>.</summary>
    public Aggregator[] LoadAggregators(State.StateReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var aggregators = NewAggregators();
        foreach (var a in aggregators)
        {
            a.Load(reader);
        }

        return aggregators;
    }

    /// <summary>Writes one group key.</summary>
    public static void SaveKey(State.StateWriter writer, GroupKey key)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(key.Values.Count);
        foreach (var v in key.Values)
        {
            writer.Write(v);
        }
    }

    /// <summary>Reads one group key.</summary>
    public static GroupKey LoadKey(State.StateReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var values = new Value[reader.ReadInt()];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = reader.ReadValue();
        }

        return new GroupKey(values);
    }

    /// <summary>Fresh aggregators for a new group.</summary>
    public Aggregator[] NewAggregators()
    {
        var aggregators = new Aggregator[_factories.Length];
        for (var i = 0; i < aggregators.Length; i++)
        {
            aggregators[i] = _factories[i]();
        }

        return aggregators;
    }

    /// <summary>Feeds one event to a group's aggregators.</summary>
    public void Add(Aggregator[] aggregators, Event e)
    {
        _eventScope.Event = e;
        for (var i = 0; i < aggregators.Length; i++)
        {
            var argument = _arguments[i];
            aggregators[i].Add(argument is null ? Value.From(true) : argument(_eventScope), e.Sequence);
        }
    }

    /// <summary>Takes the oldest event of a group back out of its aggregators.</summary>
    public void Remove(Aggregator[] aggregators, Event e)
    {
        _eventScope.Event = e;
        for (var i = 0; i < aggregators.Length; i++)
        {
            var argument = _arguments[i];
            aggregators[i].Remove(argument is null ? Value.From(true) : argument(_eventScope), e.Sequence);
        }
    }

    /// <summary>Emits the group's row unless HAVING rejects it; its time is <paramref name="rowTime"/>, else the window end.</summary>
    public void Row(IRowSink sink, string output, Event representative, Aggregator[] aggregators, long windowStart, long windowEnd, long? rowTime = null)
    {
        _groupScope.Representative = representative;
        var results = _groupScope.Results;
        for (var i = 0; i < results.Length; i++)
        {
            results[i] = aggregators[i].Result;
        }

        _groupScope.WindowStart = windowStart;
        _groupScope.WindowEnd = windowEnd;
        if (_having is null || _having(_groupScope).IsTrue)
        {
            _select.Emit(sink, output, _groupScope, rowTime ?? windowEnd);
        }
    }

    private Compiled Register(CallExpr call)
    {
        var index = _aggregates.Count;
        _aggregates.Add((call.Name, call.Star, call.Star ? null : ExpressionCompiler.Compile(call.Arguments[0])));
        return scope => ((GroupScope)scope).Results[index];
    }
}
