using Efflux.Processing.Parsing;
using Efflux.Processing.Runtime.Windows;
using Efflux.Processing.Syntax;

namespace Efflux.Processing.Runtime.Patterns;

/// <summary>
/// <c>MATCH (e1=S1 -> … -> ek=Sk) WITHIN d FILTER cond</c> with the contract's rules: every event of S1 starts a
/// partial match; a partial match binds its next step to the first later event of that step's stream for which every
/// conjunct of the filter that mentions only the steps bound so far holds; it dies when an event arrives more than d
/// after its first event, or at end of input; complete matches are emitted when their last event binds, in order of
/// their first event's arrival. An event is of Si when Si is the FROM stream or equals the event's <c>_data_type</c>.
/// </summary>
public sealed class PatternOperator : IStatementOperator
{
    private readonly string _output;
    private readonly string _stream;
    private readonly PatternStep[] _steps;
    private readonly long _within;
    private readonly Compiled[][] _conjunctsAtStep;
    private readonly (string Name, Compiled Value)[] _select;
    private readonly PatternScope _scope;
    private readonly Watermark _watermark = new();

    // Partial matches in order of their first event's arrival.
    private readonly List<PartialMatch> _partials = [];

    /// <summary>Compiles the statement.</summary>
    public PatternOperator(Statement statement)
    {
        ArgumentNullException.ThrowIfNull(statement);
        var pattern = statement.Pattern ?? throw new ArgumentException("The statement has no MATCH clause.", nameof(statement));
        _output = statement.Output;
        _stream = statement.From.Name;
        _steps = [.. pattern.Steps];
        _within = pattern.Within;
        var aliases = _steps.Select((s, i) => (s.Alias, i)).ToDictionary(p => p.Alias, p => p.i, StringComparer.Ordinal);
        _scope = new PatternScope(aliases);
        var conjuncts = Conjuncts(pattern.Filter).ToList();
        _conjunctsAtStep = [.. Enumerable.Range(0, _steps.Length).Select(step => conjuncts
            .Where(c => LastStepMentioned(c, aliases) == step)
            .Select(c => ExpressionCompiler.Compile(c))
            .ToArray())];
        _select = [.. statement.Select.Select(i => (i.Name, i.Expression is null
            ? throw new QueryException(i.Position, "'*' is not available in a MATCH query: select the bound events' attributes")
            : ExpressionCompiler.Compile(i.Expression)))];
    }

    /// <inheritdoc />
    public long Late => _watermark.Late;

    /// <summary>Partial matches alive now.</summary>
    public int PartialMatches => _partials.Count;

    /// <inheritdoc />
    public void OnEvent(Event e, Action<OutputRow> emit)
    {
        ArgumentNullException.ThrowIfNull(e);
        ArgumentNullException.ThrowIfNull(emit);
        if (!_watermark.TryAdvance(e.Time))
        {
            return;
        }

        // Partial matches are in first-event order and times only grow, so the expired ones are at the front.
        var expired = 0;
        while (expired < _partials.Count && e.Time - _partials[expired].Bound[0]!.Time > _within)
        {
            expired++;
        }

        _partials.RemoveRange(0, expired);
        var completed = 0;
        for (var i = 0; i < _partials.Count; i++)
        {
            var partial = _partials[i];
            if (!IsOf(e, partial.Count) || !Holds(partial.Bound, partial.Count, e))
            {
                continue;
            }

            partial.Bound[partial.Count++] = e;
            if (partial.Count == _steps.Length)
            {
                Emit(partial, emit);
                partial.Done = true;
                completed++;
            }
        }

        if (completed > 0)
        {
            _partials.RemoveAll(p => p.Done);
        }

        var bound = new Event?[_steps.Length];
        if (IsOf(e, 0) && Holds(bound, 0, e))
        {
            bound[0] = e;
            _partials.Add(new PartialMatch(bound) { Count = 1 });
        }
    }

    /// <inheritdoc />
    public void OnEnd(Action<OutputRow> emit) => _partials.Clear();

    /// <inheritdoc />
    public void Save(State.StateWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        _watermark.Save(writer);
        writer.Write(_partials.Count);
        foreach (var partial in _partials)
        {
            writer.Write(partial.Count);
            for (var i = 0; i < partial.Count; i++)
            {
                writer.Write(partial.Bound[i]!);
            }
        }
    }

    /// <inheritdoc />
    public void Load(State.StateReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        _watermark.Load(reader);
        _partials.Clear();
        var count = reader.ReadInt();
        for (var p = 0; p < count; p++)
        {
            var bound = new Event?[_steps.Length];
            var n = reader.ReadInt();
            for (var i = 0; i < n; i++)
            {
                bound[i] = reader.ReadEvent();
            }

            _partials.Add(new PartialMatch(bound) { Count = n });
        }
    }

    private bool IsOf(Event e, int step)
    {
        var stream = _steps[step].Stream;
        return stream == _stream || (e.Get("_data_type") is { Kind: ValueKind.Text } t && t.AsText == stream);
    }

    /// <summary>Binds <paramref name="candidate"/> at step <paramref name="count"/> tentatively and checks that step's conjuncts.</summary>
    private bool Holds(Event?[] bound, int count, Event candidate)
    {
        var conjuncts = _conjunctsAtStep[count];
        if (conjuncts.Length == 0)
        {
            return true;
        }

        var previous = bound[count];
        bound[count] = candidate;
        _scope.Bound = bound;
        _scope.Count = count + 1;
        var holds = true;
        foreach (var c in conjuncts)
        {
            if (!c(_scope).IsTrue)
            {
                holds = false;
                break;
            }
        }

        bound[count] = previous;
        return holds;
    }

    private void Emit(PartialMatch match, Action<OutputRow> emit)
    {
        _scope.Bound = match.Bound;
        _scope.Count = match.Count;
        var columns = new KeyValuePair<string, Value>[_select.Length];
        for (var i = 0; i < columns.Length; i++)
        {
            columns[i] = new(_select[i].Name, _select[i].Value(_scope));
        }

        emit(new OutputRow(_output, columns, match.Bound[^1]!.Time));
    }

    private static IEnumerable<Expr> Conjuncts(Expr? filter) => filter switch
    {
        null => [],
        BinaryExpr { Operator: "AND" } and => [.. Conjuncts(and.Left), .. Conjuncts(and.Right)],
        _ => [filter],
    };

    /// <summary>The highest step a conjunct mentions (0 when it mentions none: it is checked when e1 binds).</summary>
    private static int LastStepMentioned(Expr conjunct, Dictionary<string, int> aliases)
        => Analyzer.Walk(conjunct).OfType<AttributeExpr>()
            .Select(a => a.Qualifier is { } q && aliases.TryGetValue(q, out var i) ? i : 0)
            .DefaultIfEmpty(0)
            .Max();

    private sealed class PartialMatch(Event?[] bound)
    {
        public Event?[] Bound { get; } = bound;

        public int Count { get; set; }

        public bool Done { get; set; }
    }
}
