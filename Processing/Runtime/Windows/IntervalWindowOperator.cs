using Efflux.Processing.Runtime.Aggregation;
using Efflux.Processing.Syntax;

namespace Efflux.Processing.Runtime.Windows;

/// <summary>
/// TUMBLING, SLIDING and TIMEBATCH: event-time intervals that close when the watermark (the largest event time seen)
/// reaches their end. An event below the watermark is late: counted and dropped. Rows emitted by one watermark advance
/// are ordered by window end, window start, then group first appearance.
/// </summary>
public sealed class IntervalWindowOperator : IStatementOperator
{
    private readonly WindowSpec _window;
    private readonly string _output;
    private readonly Compiled? _where;
    private readonly AggregatePlan? _plan;
    private readonly FilterProjectOperator? _projection;
    private readonly EventScope _scope = new();
    private readonly SortedDictionary<(long End, long Start), WindowGroups> _open = [];
    private readonly Dictionary<GroupKey, long> _firstAppearance = [];
    private long _watermark = long.MinValue;
    private long? _origin;

    /// <summary>Compiles the statement.</summary>
    public IntervalWindowOperator(Statement statement)
    {
        ArgumentNullException.ThrowIfNull(statement);
        _window = statement.From.Window ?? throw new ArgumentException("The statement has no window.", nameof(statement));
        _output = statement.Output;
        _where = statement.Where is null ? null : ExpressionCompiler.Compile(statement.Where);
        if (Parsing.Analyzer.IsAggregating(statement))
        {
            _plan = new AggregatePlan(statement);
        }
        else
        {
            _projection = new FilterProjectOperator(statement);
        }
    }

    /// <summary>Events dropped as late.</summary>
    public long Late { get; private set; }

    /// <inheritdoc />
    public void OnEvent(Event e, Action<OutputRow> emit)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (e.Time < _watermark)
        {
            Late++;
            return;
        }

        if (_projection is not null)
        {
            _watermark = e.Time;
            _projection.OnEvent(e, emit);
            return;
        }

        _scope.Event = e;
        if (_where is null || _where(_scope).IsTrue)
        {
            foreach (var interval in Intervals(e.Time))
            {
                if (!_open.TryGetValue(interval, out var groups))
                {
                    groups = new WindowGroups(_plan!, _firstAppearance);
                    _open[interval] = groups;
                }

                groups.Add(e);
            }
        }

        _watermark = e.Time;
        EmitUpTo(_watermark, emit);
    }

    /// <inheritdoc />
    public void OnEnd(Action<OutputRow> emit) => EmitUpTo(long.MaxValue, emit);

    private void EmitUpTo(long watermark, Action<OutputRow> emit)
    {
        while (_open.Count > 0)
        {
            var first = _open.First();
            if (first.Key.End > watermark)
            {
                return;
            }

            _open.Remove(first.Key);
            first.Value.Emit(_output, first.Key.Start, first.Key.End, emit);
        }
    }

    private IEnumerable<(long End, long Start)> Intervals(long t)
    {
        var size = _window.Size!.Value;
        switch (_window.Kind)
        {
            case WindowKind.Sliding:
                {
                    var slide = _window.Slide!.Value;
                    for (var k = FloorDiv(t - size, slide) + 1; k <= FloorDiv(t, slide); k++)
                    {
                        yield return ((k * slide) + size, k * slide);
                    }

                    break;
                }

            case WindowKind.TimeBatch:
                {
                    _origin ??= t;
                    var start = _origin.Value + (FloorDiv(t - _origin.Value, size) * size);
                    yield return (start + size, start);
                    break;
                }

            default:
                {
                    var start = FloorDiv(t, size) * size;
                    yield return (start + size, start);
                    break;
                }
        }
    }

    private static long FloorDiv(long a, long b) => (a / b) - ((a % b != 0 && (a < 0) != (b < 0)) ? 1 : 0);
}
