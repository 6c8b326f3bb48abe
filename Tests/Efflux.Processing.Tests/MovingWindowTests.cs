using System.Globalization;

namespace Efflux.Processing.Tests;

/// <summary>SESSION, LENGTH, TIME, EXTERNALTIME and DELAY, hand-checked from EFFLUXQL.md, and removal against naive recomputation.</summary>
public sealed class MovingWindowTests
{
    [Fact]
    public void Session_PerGroup_GapClosesAndAnEventExactlyOneGapLaterStartsANewSession()
    {
        var rows = QueryRunner.Run("SELECT k, COUNT(*) AS n, window_start, window_end FROM e WINDOW SESSION(10 ms) GROUP BY k", """
            {"_timestamp":1,"k":"a"}
            {"_timestamp":3,"k":"b"}
            {"_timestamp":8,"k":"a"}
            {"_timestamp":18,"k":"a"}
            {"_timestamp":30,"k":"b"}
            """);
        Assert.Equal(
            [
                """{"k":"b","n":1,"window_start":3,"window_end":13}""",
                """{"k":"a","n":2,"window_start":1,"window_end":18}""",
                """{"k":"a","n":1,"window_start":18,"window_end":28}""",
                """{"k":"b","n":1,"window_start":30,"window_end":40}""",
            ],
            rows);
    }

    [Fact]
    public void Length_EmitsForEveryEventOverItsGroupInTheLastNEvents()
    {
        var rows = QueryRunner.Run("SELECT k, SUM(x) AS s, COUNT(*) AS n FROM e WINDOW LENGTH(3) GROUP BY k", """
            {"_timestamp":1,"k":"a","x":1}
            {"_timestamp":2,"k":"b","x":10}
            {"_timestamp":3,"k":"a","x":2}
            {"_timestamp":4,"k":"a","x":4}
            {"_timestamp":5,"k":"b","x":20}
            """);
        Assert.Equal(
            [
                """{"k":"a","s":1,"n":1}""",
                """{"k":"b","s":10,"n":1}""",
                """{"k":"a","s":3,"n":2}""",
                """{"k":"a","s":6,"n":2}""",
                """{"k":"b","s":20,"n":1}""",
            ],
            rows);
    }

    [Fact]
    public void Time_KeepsEventsWithinTheLastDurationAndDropsLateOnes()
    {
        var rows = QueryRunner.Run("SELECT COUNT(*) AS n, MAX(x) AS mx FROM e WINDOW TIME(10 ms)", """
            {"_timestamp":0,"x":5}
            {"_timestamp":5,"x":3}
            {"_timestamp":10,"x":1}
            {"_timestamp":4,"x":100}
            {"_timestamp":15,"x":2}
            """);
        Assert.Equal(["""{"n":1,"mx":5}""", """{"n":2,"mx":5}""", """{"n":2,"mx":3}""", """{"n":2,"mx":2}"""], rows);
    }

    [Fact]
    public void ExternalTime_ReadsTimeFromTheAttribute()
    {
        var rows = QueryRunner.Run("SELECT COUNT(*) AS n FROM e WINDOW EXTERNALTIME(at, 1 sec)", """
            {"_timestamp":1,"at":"2026-01-01T00:00:00Z"}
            {"_timestamp":2,"at":"2026-01-01T00:00:00.500Z"}
            {"_timestamp":3,"at":"2026-01-01T00:00:01Z"}
            {"_timestamp":4}
            """);
        Assert.Equal(["""{"n":1}""", """{"n":2}""", """{"n":2}"""], rows);
    }

    [Fact]
    public void Delay_HoldsEachEventUntilTheWatermarkPassesItsTimePlusD()
    {
        var engine = new Engine.QueryEngine(Parsing.Analyzer.ParseAndCheck("SELECT id FROM e WINDOW DELAY(10 ms) WHERE id != 'skip'"));
        var emitted = new List<(string Id, int AfterInput)>();
        var inputs = new[] { (0, "a"), (5, "b"), (7, "skip"), (12, "c"), (30, "d") };
        for (var i = 0; i < inputs.Length; i++)
        {
            var (t, id) = inputs[i];
            engine.Push(Engine.Event.FromJson(System.Text.Encoding.UTF8.GetBytes($"{{\"_timestamp\":{t},\"id\":\"{id}\"}}"), i), r => emitted.Add((r.Columns[0].Value.AsText, i)));
        }

        engine.End(r => emitted.Add((r.Columns[0].Value.AsText, inputs.Length)));
        Assert.Equal([("a", 3), ("b", 4), ("c", 4), ("d", 5)], emitted);
    }

    [Fact]
    public void Length_RandomStreams_IncrementalAggregatesMatchNaiveRecomputation()
    {
        var random = new Random(11);
        for (var trial = 0; trial < 40; trial++)
        {
            var n = random.Next(1, 12);
            var events = Enumerable.Range(0, random.Next(1, 150))
                .Select(i => (K: $"k{random.Next(3)}", X: random.Next(6) == 0 ? (double?)null : Math.Round((random.NextDouble() * 200) - 100, 2)))
                .ToList();
            var lines = events.Select((e, i) => $"{{\"_timestamp\":{i},\"k\":\"{e.K}\",\"x\":{(e.X is null ? "null" : e.X.Value.ToString("R", CultureInfo.InvariantCulture))}}}");
            var rows = QueryRunner.Run($"SELECT k, COUNT(x) AS c, MIN(x) AS mn, MAX(x) AS mx, FIRST(x) AS f, LAST(x) AS l, ROUND(AVG(x), 6) AS a, ROUND(STDDEV(x), 6) AS sd FROM e WINDOW LENGTH({n}) GROUP BY k", lines);

            var expected = new List<string>();
            for (var i = 0; i < events.Count; i++)
            {
                var xs = events.Skip(Math.Max(0, i + 1 - n)).Take(Math.Min(n, i + 1)).Where(e => e.K == events[i].K && e.X is not null).Select(e => e.X!.Value).ToList();
                static string F(double? v) => v is null ? "null" : v.Value == Math.Floor(v.Value) ? ((long)v.Value).ToString(CultureInfo.InvariantCulture) : v.Value.ToString("R", CultureInfo.InvariantCulture);
                var mean = xs.Count == 0 ? (double?)null : xs.Average();
                var sd = mean is null ? (double?)null : Math.Sqrt(xs.Sum(x => (x - mean.Value) * (x - mean.Value)) / xs.Count);
                expected.Add($"{{\"k\":\"{events[i].K}\",\"c\":{xs.Count},\"mn\":{F(xs.Count == 0 ? null : xs.Min())},\"mx\":{F(xs.Count == 0 ? null : xs.Max())},\"f\":{F(xs.Count == 0 ? null : xs[0])},\"l\":{F(xs.Count == 0 ? null : xs[^1])},\"a\":{F(mean is null ? null : Math.Round(mean.Value, 6, MidpointRounding.AwayFromZero))},\"sd\":{F(sd is null ? null : Math.Round(sd.Value, 6, MidpointRounding.AwayFromZero))}}}");
            }

            var mismatch = expected.Zip(rows).FirstOrDefault(p => p.First != p.Second);
            Assert.True(mismatch == default, $"trial {trial}: expected {mismatch.First} but got {mismatch.Second}");
            Assert.Equal(expected.Count, rows.Count);
        }
    }
}
