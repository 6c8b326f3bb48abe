using Efflux.Processing.Syntax;

namespace Efflux.Processing.Engine.Aggregation;

/// <summary>
/// The compiled select list, HAVING and GROUP BY of an aggregating statement. Each aggregate call gets an index for its
/// result; a group holds one <see cref="Aggregator"/> per distinct running state, fed per event with its argument. Calls
/// that need the same state share it (SUM(x) and AVG(x) keep one sum; COUNT(*) written twice counts once), and an
/// argument written several times is evaluated once per event.
/// </summary>
public sealed class AggregatePlan
{
    private readonly List<(string Kind, bool Star, int Argument)> _states = [];
    private readonly List<EventOperand> _argumentList = [];
    private readonly List<(int State, bool Average)> _resultList = [];
    private readonly RowProjection _select;
    private readonly Compiled? _having;
    private readonly EventOperand[] _groupBy;
    private readonly GroupScope _groupScope = new();
    private readonly Value[] _scratch;
    private readonly Func<Aggregator>[] _factories;
    private readonly EventOperand[] _arguments;
    private readonly Value[] _argumentValues;
    private readonly int[] _stateArgument;
    private readonly int[] _resultState;
    private readonly bool[] _resultAverage;

    /// <summary>Compiles the statement's aggregation.</summary>
    public AggregatePlan(Statement statement)
    {
        ArgumentNullException.ThrowIfNull(statement);
        string?[] keyNames = [.. statement.GroupBy.Select(g => (g as AttributeExpr)?.Name)];
        _groupScope.KeyNames = keyNames;
        _select = new RowProjection([.. statement.Select.Select(i => (i.Name, Column(i.Expression!, keyNames)))]);
        _having = statement.Having is null ? null : ExpressionCompiler.Compile(statement.Having, Register);
        _groupBy = [.. statement.GroupBy.Select(g => new EventOperand(g))];

        // Resolve each state's kind once; a new group then only allocates.
        _factories = [.. _states.Select(s => Aggregator.Factory(s.Kind, s.Star))];
        _stateArgument = [.. _states.Select(s => s.Argument)];
        _arguments = [.. _argumentList];
        _argumentValues = new Value[_arguments.Length];
        _resultState = [.. _resultList.Select(r => r.State)];
        _resultAverage = [.. _resultList.Select(r => r.Average)];
        _scratch = new Value[_groupBy.Length];
        _groupScope.Results = new Value[_resultList.Count];
    }

    /// <summary>A select-list column; a bare grouped attribute (<c>SELECT k … GROUP BY k</c>) reads the group's key directly.</summary>
    private Compiled Column(Expr expression, string?[] keyNames)
    {
        if (expression is AttributeExpr { Qualifier: null } a && Array.IndexOf(keyNames, a.Name) is var column && column >= 0)
        {
            var attribute = new AttributeRef(a.Name);
            if (attribute.Bound == WindowBound.None)
            {
                return scope => ((GroupScope)scope).Grouped(column, attribute);
            }
        }

        return ExpressionCompiler.Compile(expression, Register);
    }

    /// <summary>The group of an event (a new key the caller may keep).</summary>
    public GroupKey KeyOf(Event e) => new(Evaluate(e, new Value[_groupBy.Length]));

    /// <summary>
    /// The group of an event in a scratch key that the next call overwrites: for dictionary look-ups on the hot path,
    /// which copy it only when they insert a new group.
    /// </summary>
    public GroupKey ScratchKeyOf(Event e) => _groupBy.Length == 1 ? new(_groupBy[0].Of(e)) : new(Evaluate(e, _scratch));

    private Value[] Evaluate(Event e, Value[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = _groupBy[i].Of(e);
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
        var (lone, values) = Arguments(e);
        for (var i = 0; i < aggregators.Length; i++)
        {
            aggregators[i].Add(ArgumentOf(i, lone, values), e.Sequence);
        }
    }

    /// <summary>Takes the oldest event of a group back out of its aggregators.</summary>
    public void Remove(Aggregator[] aggregators, Event e)
    {
        var (lone, values) = Arguments(e);
        for (var i = 0; i < aggregators.Length; i++)
        {
            aggregators[i].Remove(ArgumentOf(i, lone, values), e.Sequence);
        }
    }

    /// <summary>
    /// Every distinct aggregate argument of <paramref name="e"/>: a lone argument (the common case) as a value, several in
    /// a buffer that the next call overwrites.
    /// </summary>
    private (Value Lone, Value[]? Values) Arguments(Event e)
    {
        if (_arguments.Length == 1)
        {
            return (_arguments[0].Of(e), null);
        }

        var values = _argumentValues;
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = _arguments[i].Of(e);
        }

        return (default, values);
    }

    /// <summary>What state <paramref name="state"/> takes: its argument's value, or TRUE for COUNT(*).</summary>
    private Value ArgumentOf(int state, Value lone, Value[]? values)
        => _stateArgument[state] is var a && a >= 0 ? values is null ? lone : values[a] : Value.From(true);

    /// <summary>Emits the group's row unless HAVING rejects it; its time is <paramref name="rowTime"/>, else the window end.</summary>
    public void Row(IRowSink sink, string output, Event representative, GroupKey key, Aggregator[] aggregators, long windowStart, long windowEnd, long? rowTime = null)
    {
        _groupScope.Representative = representative;
        _groupScope.Key = key;
        var results = _groupScope.Results;
        for (var i = 0; i < results.Length; i++)
        {
            var state = aggregators[_resultState[i]];
            results[i] = _resultAverage[i] ? ((SumAggregator)state).Average : state.Result;
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
        // AVG is SUM's state read another way.
        var kind = call.Name == "AVG" ? "SUM" : call.Name;
        var argument = call.Star ? -1 : ArgumentIndex(new EventOperand(call.Arguments[0]));
        var state = _states.FindIndex(s => s.Kind == kind && s.Star == call.Star && s.Argument == argument);
        if (state < 0)
        {
            state = _states.Count;
            _states.Add((kind, call.Star, argument));
        }

        var index = _resultList.Count;
        _resultList.Add((state, call.Name == "AVG"));
        return scope => ((GroupScope)scope).Results[index];
    }

    /// <summary>The index of an argument equal to <paramref name="operand"/>, added when there is none.</summary>
    private int ArgumentIndex(EventOperand operand)
    {
        var index = operand.Key is null ? -1 : _argumentList.FindIndex(a => a.Key == operand.Key);
        if (index < 0)
        {
            index = _argumentList.Count;
            _argumentList.Add(operand);
        }

        return index;
    }
}
