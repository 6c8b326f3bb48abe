using Efflux.Processing.Parsing;
using Efflux.Processing.Engine.Windows;
using Efflux.Processing.Syntax;

namespace Efflux.Processing.Engine.Patterns;

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
    private readonly RowProjection _select;
    private readonly PatternScope _scope;
    private readonly Watermark _watermark = new();

    // Every live partial match in order of its first event's arrival (for expiry), and, per step, the partial matches
    // waiting to bind it: in buckets keyed by the value an equality conjunct needs (b.k = a.k), or in one list.
    private readonly Queue<PartialMatch> _alive = new();
    private readonly (string Attribute, int EarlierStep, string EarlierAttribute)?[] _indexOf;
    private readonly Dictionary<Value, List<PartialMatch>>?[] _buckets;
    private readonly List<PartialMatch>?[] _unindexed;
    private int _dead;

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
        _indexOf = [.. Enumerable.Range(0, _steps.Length).Select(step => step == 0 ? null : EqualityKey(conjuncts, aliases, step))];
        _buckets = [.. _indexOf.Select(i => i is null ? null : new Dictionary<Value, List<PartialMatch>>())];
        _unindexed = [.. _indexOf.Select((i, step) => i is null && step > 0 ? new List<PartialMatch>() : null)];
        _select = RowProjection.WithoutStar(statement, "a MATCH query", "the bound events' attributes");
    }

    /// <inheritdoc />
    public long Late => _watermark.Late;

    /// <summary>Partial matches alive now.</summary>
    public int PartialMatches => _alive.Count(p => !p.Done);

    /// <inheritdoc />
    public void OnEvent(Event e, IRowSink sink)
    {
        ArgumentNullException.ThrowIfNull(e);
        ArgumentNullException.ThrowIfNull(sink);
        if (!_watermark.TryAdvance(e.Time))
        {
            return;
        }

        Expire(e.Time);
        if (Advance(e) is { } completed)
        {
            // Matches completed by one event go out in order of their first event's arrival.
            foreach (var match in completed.OrderBy(m => m.Bound[0]!.Sequence))
            {
                Emit(match, sink);
            }
        }

        Start(e);
        if (_dead > 1024 && _dead > _alive.Count)
        {
            Compact();
        }
    }

    /// <summary>Ends the partial matches whose first event is more than WITHIN before <paramref name="now"/>.</summary>
    private void Expire(long now)
    {
        // Partial matches are in first-event order and times only grow, so the expired ones are at the front.
        while (_alive.TryPeek(out var oldest) && (oldest.Done || now - oldest.Bound[0]!.Time > _within))
        {
            _alive.Dequeue();
            if (!oldest.Done)
            {
                oldest.Done = true;
                _dead++;
            }
        }
    }

    /// <summary>Binds <paramref name="e"/> to every waiting partial match it continues; returns the ones it completes.</summary>
    private List<PartialMatch>? Advance(Event e)
    {
        // Later steps first, so that one event never binds two steps of the same partial match.
        List<PartialMatch>? completed = null;
        for (var step = _steps.Length - 1; step >= 1; step--)
        {
            if (IsOf(e, step) && Waiting(step, e) is { Count: > 0 } waiting)
            {
                Bind(e, step, waiting, ref completed);
            }
        }

        return completed;
    }

    /// <summary>Binds <paramref name="e"/> at <paramref name="step"/> of the matches waiting there whose condition holds; the others keep waiting.</summary>
    private void Bind(Event e, int step, List<PartialMatch> waiting, ref List<PartialMatch>? completed)
    {
        var stay = new List<PartialMatch>(waiting.Count);
        foreach (var partial in waiting)
        {
            if (partial.Done || partial.Count != step)
            {
                continue;
            }

            if (!Holds(partial.Bound, step, e))
            {
                stay.Add(partial);
                continue;
            }

            partial.Bound[partial.Count++] = e;
            if (partial.Count == _steps.Length)
            {
                partial.Done = true;
                (completed ??= []).Add(partial);
            }
            else
            {
                Enqueue(partial);
            }
        }

        waiting.Clear();
        waiting.AddRange(stay);
    }

    /// <summary>Starts a partial match with <paramref name="e"/> when it qualifies for the first step (every event may start one).</summary>
    private void Start(Event e)
    {
        var bound = new Event?[_steps.Length];
        if (IsOf(e, 0) && Holds(bound, 0, e))
        {
            bound[0] = e;
            var partial = new PartialMatch(bound) { Count = 1 };
            _alive.Enqueue(partial);
            Enqueue(partial);
        }
    }

    /// <summary>The partial matches that could bind <paramref name="e"/> at <paramref name="step"/>.</summary>
    private List<PartialMatch>? Waiting(int step, Event e)
    {
        if (_indexOf[step] is not { } index)
        {
            return _unindexed[step];
        }

        var value = e.Get(index.Attribute);
        return value.IsNull ? null : _buckets[step]!.GetValueOrDefault(value);
    }

    /// <summary>Files a partial match under the step it waits for next.</summary>
    private void Enqueue(PartialMatch partial)
    {
        var step = partial.Count;
        if (_indexOf[step] is not { } index)
        {
            _unindexed[step]!.Add(partial);
            return;
        }

        // A NULL key can never satisfy the equality: the partial match waits for nothing and simply expires.
        var key = partial.Bound[index.EarlierStep]!.Get(index.EarlierAttribute);
        if (key.IsNull)
        {
            return;
        }

        var buckets = _buckets[step]!;
        if (!buckets.TryGetValue(key, out var list))
        {
            list = [];
            buckets[key] = list;
        }

        list.Add(partial);
    }

    /// <summary>Drops expired partial matches from the buckets once they outnumber the live ones.</summary>
    private void Compact()
    {
        foreach (var buckets in _buckets)
        {
            if (buckets is null)
            {
                continue;
            }

            foreach (var key in buckets.Keys.ToList())
            {
                var list = buckets[key];
                list.RemoveAll(p => p.Done);
                if (list.Count == 0)
                {
                    buckets.Remove(key);
                }
            }
        }

        foreach (var list in _unindexed)
        {
            list?.RemoveAll(p => p.Done);
        }

        _dead = 0;
    }

    /// <inheritdoc />
    public void OnEnd(IRowSink sink) => Clear();

    /// <inheritdoc />
    public void Save(State.StateWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        _watermark.Save(writer);
        var live = _alive.Where(p => !p.Done).ToList();
        writer.Write(live.Count);
        foreach (var partial in live)
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
        Clear();
        var count = reader.ReadInt();
        for (var p = 0; p < count; p++)
        {
            var bound = new Event?[_steps.Length];
            var n = reader.ReadInt();
            for (var i = 0; i < n; i++)
            {
                bound[i] = reader.ReadEvent();
            }

            var partial = new PartialMatch(bound) { Count = n };
            _alive.Enqueue(partial);
            Enqueue(partial);
        }
    }

    private void Clear()
    {
        _alive.Clear();
        foreach (var b in _buckets)
        {
            b?.Clear();
        }

        foreach (var l in _unindexed)
        {
            l?.Clear();
        }

        _dead = 0;
    }

    /// <summary>
    /// An equality conjunct at <paramref name="step"/> between this step's attribute and an earlier step's
    /// (<c>b.k = a.k</c>), which lets waiting partial matches be found by value instead of by scanning them all.
    /// </summary>
    private static (string, int, string)? EqualityKey(List<Expr> conjuncts, Dictionary<string, int> aliases, int step)
    {
        foreach (var c in conjuncts)
        {
            if (c is BinaryExpr { Operator: "=", Left: AttributeExpr { Qualifier: { } lq } l, Right: AttributeExpr { Qualifier: { } rq } r }
                && aliases.TryGetValue(lq, out var li) && aliases.TryGetValue(rq, out var ri))
            {
                if (li == step && ri < step)
                {
                    return (l.Name, ri, r.Name);
                }

                if (ri == step && li < step)
                {
                    return (r.Name, li, l.Name);
                }
            }
        }

        return null;
    }

    private bool IsOf(Event e, int step)
    {
        var stream = _steps[step].Stream;
        return stream == _stream || stream == e.Stream || (e.Get("_data_type") is { Kind: ValueKind.Text } t && t.AsText == stream);
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

    private void Emit(PartialMatch match, IRowSink sink)
    {
        _scope.Bound = match.Bound;
        _scope.Count = match.Count;
        _select.Emit(sink, _output, _scope, match.Bound[^1]!.Time);
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
