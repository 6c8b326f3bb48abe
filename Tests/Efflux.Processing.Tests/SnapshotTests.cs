using System.Globalization;
using System.Text;
using Efflux.Processing.Parsing;
using Efflux.Processing.Engine;

namespace Efflux.Processing.Tests;

/// <summary>
/// Snapshot and restore: cut the input at every position, snapshot, restore into a fresh engine, continue; the rows
/// must be exactly those of an uninterrupted run.
/// </summary>
public sealed class SnapshotTests
{
    public static TheoryData<string> Queries => new()
    {
        "SELECT k, COUNT(*) AS c, SUM(x) AS s, AVG(x) AS a, MIN(x) AS mn, MAX(x) AS mx, STDDEV(x) AS sd, FIRST(x) AS f, LAST(x) AS l, window_start FROM e WINDOW TUMBLING(20 ms) GROUP BY k HAVING COUNT(*) > 0",
        "SELECT k, SUM(x) AS s, window_end FROM e WINDOW SLIDING(30 ms, 10 ms) GROUP BY k",
        "SELECT COUNT(*) AS c, window_start FROM e WINDOW TIMEBATCH(25 ms)",
        "SELECT k, COUNT(*) AS c, MAX(x) AS mx, window_end FROM e WINDOW SESSION(6 ms) GROUP BY k",
        "SELECT k, SUM(x) AS s, MIN(x) AS mn, LAST(x) AS l FROM e WINDOW LENGTH(5) GROUP BY k",
        "SELECT k, AVG(x) AS a, FIRST(x) AS f FROM e WINDOW TIME(15 ms) GROUP BY k",
        "SELECT k, COUNT(*) AS c FROM e WINDOW LENGTHBATCH(4) GROUP BY k",
        "SELECT k, x FROM e WINDOW DELAY(8 ms) WHERE x > 10",
        "SELECT k, COUNT(*) AS c FROM e WINDOW EXTERNALTIME(at, 12 ms) GROUP BY k",
        "SELECT a.x AS x1, b.x AS x2 FROM e MATCH (a=A -> b=B) WITHIN 20 ms FILTER b.k = a.k AND b.x > a.x",
        "SELECT a.x AS ax, b.x AS bx FROM A AS a WINDOW LENGTH(3) JOIN B AS b WINDOW TIME(10 ms) ON a.k = b.k",
        "SELECT a.x AS ax, b.x AS bx FROM A AS a WINDOW TIMEBATCH(9 ms) JOIN B AS b WINDOW LENGTHBATCH(3) ON a.k = b.k",
        "SELECT a.x AS ax, b.x AS bx FROM A AS a WINDOW SLIDING(12 ms, 4 ms) JOIN B AS b WINDOW EXTERNALTIME(at, 10 ms) ON a.k = b.k",
        "SELECT a.x AS ax, b.x AS bx FROM A AS a WINDOW SESSION(3 ms) JOIN B AS b WINDOW TIME(6 ms) ON a.k = b.k",
        "SELECT k, x * 2 AS y FROM e WHERE x % 3 = 0 INSERT INTO one; SELECT COUNT(*) AS c FROM e WINDOW TUMBLING(50 ms) INSERT INTO two",
    };

    [Theory]
    [MemberData(nameof(Queries))]
    public void Restore_AtEveryCut_ContinuesExactlyLikeAnUninterruptedRun(string query)
    {
        var lines = Events(seed: query.Length, count: 60);
        var expected = Run(query, lines, cut: null);
        Assert.NotEmpty(expected);
        for (var cut = 0; cut <= lines.Count; cut++)
        {
            Assert.Equal(expected, Run(query, lines, cut));
        }
    }

    [Fact]
    public void Restore_WithAllowedLateness_KeepsTheHeldEvents()
    {
        const string Query = "SELECT k, COUNT(*) AS c, SUM(x) AS s, window_start FROM e WINDOW TUMBLING(20 ms) GROUP BY k";
        var lines = Events(seed: 99, count: 60);
        var lateness = TimeSpan.FromMilliseconds(9);
        var expected = Run(Query, lines, cut: null, lateness);
        Assert.NotEqual(Run(Query, lines, cut: null), expected);
        for (var cut = 0; cut <= lines.Count; cut++)
        {
            Assert.Equal(expected, Run(Query, lines, cut, lateness));
        }
    }

    [Fact]
    public void Restore_SnapshotOfAnotherQueryOrDamaged_IsRejected()
    {
        var a = new QueryEngine(Analyzer.ParseAndCheck("SELECT COUNT(*) FROM e WINDOW TUMBLING(1 sec)"));
        var b = new QueryEngine(Analyzer.ParseAndCheck("SELECT COUNT(*) FROM e WINDOW LENGTH(3)"));
        var snapshot = a.Snapshot();
        Assert.Throws<InvalidDataException>(() => b.Restore(snapshot));
        Assert.Throws<InvalidDataException>(() => a.Restore(snapshot[..^3]));
    }

    private static List<string> Run(string query, List<string> lines, int? cut, TimeSpan lateness = default)
    {
        var rows = new List<string>();
        void Emit(OutputRow row)
        {
            using var buffer = new MemoryStream();
            using (var writer = new System.Text.Json.Utf8JsonWriter(buffer, OutputRow.JsonOptions))
            {
                row.WriteJson(writer);
            }

            rows.Add(row.Output + ":" + Encoding.UTF8.GetString(buffer.ToArray()));
        }

        var engine = new QueryEngine(Analyzer.ParseAndCheck(query), lateness);
        for (var i = 0; i < lines.Count; i++)
        {
            if (i == cut)
            {
                var snapshot = engine.Snapshot();
                engine = new QueryEngine(Analyzer.ParseAndCheck(query), lateness);
                engine.Restore(snapshot);
                Assert.Equal(snapshot, engine.Snapshot());
            }

            engine.Push(Event.FromJson(Encoding.UTF8.GetBytes(lines[i]), i), Emit);
        }

        if (cut == lines.Count)
        {
            var snapshot = engine.Snapshot();
            engine = new QueryEngine(Analyzer.ParseAndCheck(query), lateness);
            engine.Restore(snapshot);
        }

        engine.End(Emit);
        return rows;
    }

    internal static List<string> Events(int seed, int count)
    {
        var random = new Random(seed);
        var lines = new List<string>();
        long t = 0;
        for (var i = 0; i < count; i++)
        {
            t += random.Next(0, 6);
            var time = random.Next(12) == 0 ? t - 7 : t;
            var type = random.Next(2) == 0 ? "A" : "B";
            var x = random.Next(8) == 0 ? "null" : (random.Next(-5, 40) + (random.Next(3) == 0 ? 0.5 : 0)).ToString(CultureInfo.InvariantCulture);
            lines.Add($"{{\"_timestamp\":{time},\"_data_type\":\"{type}\",\"k\":\"k{random.Next(3)}\",\"x\":{x},\"at\":{time + random.Next(0, 3)}}}");
        }

        return lines;
    }
}
