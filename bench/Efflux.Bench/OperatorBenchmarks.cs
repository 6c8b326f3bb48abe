using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Efflux.Processing.Parsing;
using Efflux.Processing.Engine;

namespace Efflux.Bench;

/// <summary>
/// Operator micro-benchmarks with BenchmarkDotNet's MemoryDiagnoser: time and bytes allocated per operation, where one
/// operation pushes <see cref="EventsPerOperation"/> events through a fresh engine. Runs in process (no generated
/// project), so it builds with the repository's settings.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(InProcessConfig))]
public class OperatorBenchmarks
{
    /// <summary>Events pushed per benchmark operation.</summary>
    public const int EventsPerOperation = 100_000;

    private Event[] _events = [];

    /// <summary>The query under test.</summary>
    [Params("filter", "tumbling", "sliding", "length", "pattern")]
    public string Operator { get; set; } = "filter";

    /// <summary>Creates the events once.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        var keys = Enumerable.Range(0, 1000).Select(k => Value.From($"key{k}")).ToArray();
        var types = new[] { Value.From("A"), Value.From("B") };
        _events = [.. Enumerable.Range(0, EventsPerOperation).Select(i => new Event(
            [
                new("_timestamp", Value.From((long)i)),
                new("_data_type", types[random.Next(2)]),
                new("k", keys[random.Next(keys.Length)]),
                new("x", Value.From((long)random.Next(100))),
            ],
            i,
            i))];
    }

    /// <summary>Pushes the events through the operator and ends the input; returns the rows the sink counted.</summary>
    [Benchmark]
    public long Push()
    {
        var query = Operator switch
        {
            "filter" => "SELECT k, x * 2 AS y FROM e WHERE x > 50",
            "tumbling" => "SELECT k, COUNT(*) AS c, SUM(x) AS s, AVG(x) AS a FROM e WINDOW TUMBLING(1 sec) GROUP BY k",
            "sliding" => "SELECT k, AVG(x) AS a FROM e WINDOW SLIDING(10 sec, 1 sec) GROUP BY k",
            "length" => "SELECT k, AVG(x) AS a FROM e WINDOW LENGTH(1000) GROUP BY k",
            _ => "SELECT a.k AS k FROM e MATCH (a=A -> b=B) WITHIN 10 sec FILTER b.k = a.k",
        };
        var engine = new QueryEngine(Analyzer.ParseAndCheck(query));
        long rows = 0;
        var sink = new CountingSink(() => rows++);
        foreach (var e in _events)
        {
            engine.Push(e, sink);
        }

        engine.End(sink);
        return rows;
    }

    private sealed class InProcessConfig : ManualConfig
    {
        public InProcessConfig()
        {
            AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance));
            WithOptions(ConfigOptions.DisableOptimizationsValidator);
        }
    }
}
