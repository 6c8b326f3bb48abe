using System.Diagnostics;
using System.Reactive.Linq;
using Efflux.Processing.Parsing;
using Efflux.Processing.Engine;

namespace Efflux.Bench;

/// <summary>
/// EffluxQL operators in process on one thread over synthetic events (1,000 group keys, one event per millisecond of
/// event time), beside the same tumbling and sliding aggregations written with System.Reactive (Window + GroupBy +
/// Aggregate). A set of <c>--distinct</c> events (default 65,536, about 25 MB: they stay in the last-level cache, as
/// events decoded from a topic just before they are processed do) is replayed until <c>--messages</c> events have
/// passed; a larger set measures memory bandwidth more than the operators. Allocation per event is measured with
/// <see cref="GC.GetAllocatedBytesForCurrentThread"/>.
/// </summary>
internal static class ProcessingBench
{
    private const int Keys = 1000;
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(2);

    private static readonly (string Scenario, string Query)[] Scenarios =
    [
        ("filter+project", "SELECT k, x * 2 AS y FROM e WHERE x > 50"),
        ("tumbling(1 sec) count/sum/avg by key", "SELECT k, COUNT(*) AS c, SUM(x) AS s, AVG(x) AS a FROM e WINDOW TUMBLING(1 sec) GROUP BY k"),
        ("sliding(10 sec, 1 sec) avg by key", "SELECT k, AVG(x) AS a FROM e WINDOW SLIDING(10 sec, 1 sec) GROUP BY k"),
        ("session(5 sec) by key", "SELECT k, COUNT(*) AS c FROM e WINDOW SESSION(5 sec) GROUP BY k"),
        ("length(1000) avg by key", "SELECT k, AVG(x) AS a FROM e WINDOW LENGTH(1000) GROUP BY k"),
        ("pattern a -> b within 10 sec by key", "SELECT a.k AS k FROM e MATCH (a=A -> b=B) WITHIN 10 sec FILTER b.k = a.k"),
    ];

    public static int Run(BenchOptions o)
    {
        var events = Generate(Math.Min(o.Messages, o.Distinct));
        var rounds = Math.Max(1, o.Messages / events.Length);
        Console.WriteLine($"processing benchmark: {(long)events.Length * rounds:N0} events ({events.Length:N0} distinct, {rounds} rounds), {Keys} keys, one thread, {o.Runs} runs (medians)");
        var runs = new Dictionary<string, List<(Measurement M, double Bytes)>>();
        for (var run = 0; run < o.Runs; run++)
        {
            // The first run warms every scenario, Efflux's and Rx.NET's alike, before timing it.
            var warm = run == 0;
            foreach (var (scenario, query) in Scenarios)
            {
                Add(runs, Engine(scenario, query, events, rounds, warm));
            }

            Add(runs, RxTumbling(events, rounds, warm));
            Add(runs, RxSliding(events, rounds, warm));
        }

        var results = runs.Select(r => r.Value.OrderBy(x => x.M.PerSecond).ElementAt(r.Value.Count / 2)).ToList();
        Console.WriteLine();
        Console.WriteLine($"{"scenario",-46} {"events",12} {"seconds",9} {"events/s",14} {"B/event",9}");
        foreach (var (m, bytes) in results)
        {
            Console.WriteLine($"{m.Scenario,-46} {m.Messages,12:N0} {m.Seconds,9:F3} {m.PerSecond,14:N0} {bytes,9:F1}");
        }

        double Rate(string prefix) => results.First(r => r.M.Scenario.StartsWith(prefix, StringComparison.Ordinal)).M.PerSecond;
        Console.WriteLine();
        Console.WriteLine($"tumbling / Rx.NET tumbling = {Rate("tumbling") / Rate("Rx.NET tumbling"):F2}x");
        Console.WriteLine($"sliding / Rx.NET sliding = {Rate("sliding") / Rate("Rx.NET sliding"):F2}x");
        Measurement.WriteJsonIfAsked(o.JsonFile, results.Select(r => r.M));

        return 0;
    }

    private static void Add(Dictionary<string, List<(Measurement, double)>> runs, (Measurement M, double Bytes) result)
        => (runs.TryGetValue(result.M.Scenario, out var list) ? list : runs[result.M.Scenario] = []).Add(result);

    private static Event[] Generate(int count)
    {
        var random = new Random(42);
        var keys = Enumerable.Range(0, Keys).Select(k => Value.From($"key{k}")).ToArray();
        var a = Value.From("A");
        var b = Value.From("B");
        var events = new Event[count];
        for (var i = 0; i < count; i++)
        {
            events[i] = new Event(
                [
                    new("_timestamp", Value.From((long)i)),
                    new("_data_type", random.Next(2) == 0 ? a : b),
                    new("k", keys[random.Next(Keys)]),
                    new("x", Value.From((long)random.Next(100))),
                ],
                i,
                i);
        }

        return events;
    }

    private static (Measurement, double) Engine(string scenario, string query, Event[] events, int rounds, bool warm)
        => Measure(scenario, events, rounds, warm, count =>
        {
            // A fresh engine per round: event times restart, and nothing counts as late.
            var engine = new QueryEngine(Analyzer.ParseAndCheck(query));
            var sink = new CountingSink(count);
            foreach (var e in events)
            {
                engine.Push(e, sink);
            }

            engine.End(sink);
        });

    /// <summary>The tumbling scenario in Rx.NET: windows cut where event time crosses a second, then GroupBy key and Aggregate.</summary>
    private static (Measurement, double) RxTumbling(Event[] events, int rounds, bool warm)
        => Measure("Rx.NET tumbling(1 sec) count/sum/avg by key", events, rounds, warm, count =>
        {
            var source = events.ToObservable().Publish();
            var boundaries = source.Select(e => e.Time / 1000).DistinctUntilChanged().Skip(1);
            using var subscription = source
                .Window(boundaries)
                .SelectMany(window => window
                    .GroupBy(e => e.Get("k").AsText)
                    .SelectMany(g => g.Aggregate(
                        (Count: 0L, Sum: 0L),
                        (acc, e) => (acc.Count + 1, acc.Sum + e.Get("x").AsLong),
                        acc => (g.Key, acc.Count, acc.Sum, Avg: (double)acc.Sum / acc.Count))))
                .Subscribe(_ => count());
            source.Connect().Dispose();
        });

    /// <summary>
    /// The sliding scenario in Rx.NET: a window opens at every new second of event time and closes at the first event
    /// ten seconds later; each window is grouped by key and averaged.
    /// </summary>
    private static (Measurement, double) RxSliding(Event[] events, int rounds, bool warm)
        => Measure("Rx.NET sliding(10 sec, 1 sec) avg by key", events, rounds, warm, count =>
        {
            var source = events.ToObservable().Publish();
            var openings = source.Select(e => e.Time / 1000).DistinctUntilChanged();
            using var subscription = source
                .Window(openings, second => source.Where(e => e.Time >= (second + 10) * 1000).Take(1))
                .SelectMany(window => window
                    .GroupBy(e => e.Get("k").AsText)
                    .SelectMany(g => g.Average(e => (double)e.Get("x").AsLong).Select(avg => (g.Key, avg))))
                .Subscribe(_ => count());
            source.Connect().Dispose();
        });

    /// <summary>
    /// Times <paramref name="rounds"/> rounds over the events and the bytes this thread allocated per event. With
    /// <paramref name="warm"/>, rounds first run untimed for at least <see cref="WarmUp"/> (and three rounds), so that
    /// tiered compilation has replaced the first, unoptimised code of the hot paths before the clock starts.
    /// </summary>
    private static (Measurement, double) Measure(string scenario, Event[] events, int rounds, bool warm, Action<Action> round)
    {
        long rows = 0;
        var warming = Stopwatch.StartNew();
        for (var r = 0; warm && (r < 3 || warming.Elapsed < WarmUp); r++)
        {
            round(() => rows++);
        }

        rows = 0;
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var sw = Stopwatch.StartNew();
        for (var r = 0; r < rounds; r++)
        {
            round(() => rows++);
        }

        var elapsed = sw.Elapsed;
        var total = (long)events.Length * rounds;
        var bytes = (GC.GetAllocatedBytesForCurrentThread() - allocated) / (double)total;
        GC.KeepAlive(rows);
        return (Measurement.Of(scenario, total, 0, elapsed), bytes);
    }
}
