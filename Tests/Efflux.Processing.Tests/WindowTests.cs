namespace Efflux.Processing.Tests;

/// <summary>Hand-checked window cases written from EFFLUXQL.md.</summary>
public sealed class WindowTests
{
    private const string Keys = """
        {"_timestamp":1,"k":"a","x":1}
        {"_timestamp":5,"k":"b","x":2}
        {"_timestamp":9,"k":"a","x":3}
        {"_timestamp":10,"k":"a","x":4}
        {"_timestamp":25,"k":"b","x":5}
        """;

    [Fact]
    public void Tumbling_GroupsByKey_EventAtTheEndGoesToTheNextWindow_EmitsWhenTheWatermarkPasses()
    {
        var rows = QueryRunner.Run("SELECT k, COUNT(*) AS n, SUM(x) AS s, window_start, window_end FROM e WINDOW TUMBLING(10 ms) GROUP BY k", Keys);
        Assert.Equal(
            [
                """{"k":"a","n":2,"s":4,"window_start":0,"window_end":10}""",
                """{"k":"b","n":1,"s":2,"window_start":0,"window_end":10}""",
                """{"k":"a","n":1,"s":4,"window_start":10,"window_end":20}""",
                """{"k":"b","n":1,"s":5,"window_start":20,"window_end":30}""",
            ],
            rows);
    }

    [Fact]
    public void Tumbling_LateEvent_IsDropped()
    {
        var rows = QueryRunner.Run("SELECT COUNT(*) AS n, window_start FROM e WINDOW TUMBLING(10 ms)", Keys + "\n{\"_timestamp\":12,\"k\":\"late\"}\n{\"_timestamp\":25,\"k\":\"same time is not late\"}");
        Assert.Equal(["""{"n":3,"window_start":0}""", """{"n":1,"window_start":10}""", """{"n":2,"window_start":20}"""], rows);
        var engine = new Engine.QueryEngine(Parsing.Analyzer.ParseAndCheck("SELECT COUNT(*) AS n FROM e WINDOW TUMBLING(10 ms)"));
        foreach (var (t, i) in new[] { (5, 0), (20, 1), (3, 2), (19, 3) })
        {
            engine.Push(Engine.Event.FromJson(System.Text.Encoding.UTF8.GetBytes($"{{\"_timestamp\":{t}}}"), i), _ => { });
        }

        Assert.Equal(2, engine.Late);
    }

    [Fact]
    public void Tumbling_HavingAndWhere()
    {
        var rows = QueryRunner.Run("SELECT k, COUNT(*) AS n FROM e WINDOW TUMBLING(10 ms) WHERE x != 2 GROUP BY k HAVING COUNT(*) > 1", Keys);
        Assert.Equal(["""{"k":"a","n":2}"""], rows);
    }

    [Fact]
    public void Sliding_EventBelongsToEveryIntervalThatContainsIt()
    {
        var rows = QueryRunner.Run("SELECT SUM(x) AS s, window_start, window_end FROM e WINDOW SLIDING(10 ms, 5 ms)", """
            {"_timestamp":7,"x":1}
            {"_timestamp":12,"x":2}
            """);
        Assert.Equal(
            [
                """{"s":1,"window_start":0,"window_end":10}""",
                """{"s":3,"window_start":5,"window_end":15}""",
                """{"s":2,"window_start":10,"window_end":20}""",
            ],
            rows);
    }

    [Fact]
    public void TimeBatch_IntervalsStartAtTheFirstEvent()
    {
        var rows = QueryRunner.Run("SELECT COUNT(*) AS n, window_start, window_end FROM e WINDOW TIMEBATCH(10 ms)", """
            {"_timestamp":3}
            {"_timestamp":12}
            {"_timestamp":13}
            {"_timestamp":40}
            """);
        Assert.Equal(
            [
                """{"n":2,"window_start":3,"window_end":13}""",
                """{"n":1,"window_start":13,"window_end":23}""",
                """{"n":1,"window_start":33,"window_end":43}""",
            ],
            rows);
    }

    [Fact]
    public void LengthBatch_FullBlocksAndThePartialOneAtTheEnd()
    {
        var rows = QueryRunner.Run("SELECT k, COUNT(*) AS n FROM e WINDOW LENGTHBATCH(2) GROUP BY k", """
            {"_timestamp":1,"k":"a"}
            {"_timestamp":2,"k":"b"}
            {"_timestamp":3,"k":"c"}
            {"_timestamp":4,"k":"a"}
            {"_timestamp":5,"k":"a"}
            """);
        Assert.Equal(["""{"k":"a","n":1}""", """{"k":"b","n":1}""", """{"k":"a","n":1}""", """{"k":"c","n":1}""", """{"k":"a","n":1}"""], rows);
    }

    [Fact]
    public void Aggregates_NullsAndEmptyValues_FollowTheContract()
    {
        var rows = QueryRunner.Run("SELECT COUNT(*) AS c, COUNT(x) AS cx, SUM(x) AS s, AVG(x) AS a, MIN(x) AS mn, MAX(x) AS mx, STDDEV(x) AS sd, FIRST(x) AS f, LAST(x) AS l FROM e WINDOW TUMBLING(1 sec)", """
            {"_timestamp":1,"x":null}
            {"_timestamp":2}
            """);
        Assert.Equal(["""{"c":2,"cx":0,"s":null,"a":null,"mn":null,"mx":null,"sd":null,"f":null,"l":null}"""], rows);

        rows = QueryRunner.Run("SELECT COUNT(x) AS cx, SUM(x) AS s, AVG(x) AS a, MIN(x) AS mn, MAX(x) AS mx, STDDEV(x) AS sd, FIRST(x) AS f, LAST(x) AS l FROM e WINDOW TUMBLING(1 sec)", """
            {"_timestamp":1,"x":2}
            {"_timestamp":2,"x":null}
            {"_timestamp":3,"x":4.5}
            {"_timestamp":4,"x":6}
            """);
        Assert.Equal(["""{"cx":3,"s":12.5,"a":4.166666666666667,"mn":2,"mx":6,"sd":1.6499158227686108,"f":2,"l":6}"""], rows);
    }

    [Fact]
    public void Windowed_WithoutAggregates_EmitsEachEventOnEntry_AndDropsLateOnes()
    {
        var rows = QueryRunner.Run("SELECT k FROM e WINDOW TUMBLING(10 ms)", Keys + "\n{\"_timestamp\":3,\"k\":\"late\"}");
        Assert.Equal(["""{"k":"a"}""", """{"k":"b"}""", """{"k":"a"}""", """{"k":"a"}""", """{"k":"b"}"""], rows);
    }

    [Fact]
    public void Tumbling_RandomStreams_MatchNaiveRecomputation()
    {
        var random = new Random(7);
        for (var trial = 0; trial < 50; trial++)
        {
            var events = new List<(long T, string K, long? X)>();
            long t = random.Next(-50, 50);
            for (var i = 0; i < random.Next(1, 200); i++)
            {
                t += random.Next(0, 7);
                events.Add((t, $"k{random.Next(4)}", random.Next(5) == 0 ? null : random.Next(-100, 100)));
            }

            var lines = events.Select(e => $"{{\"_timestamp\":{e.T},\"k\":\"{e.K}\",\"x\":{(e.X is null ? "null" : e.X.ToString())}}}");
            var rows = QueryRunner.Run("SELECT k, COUNT(*) AS c, SUM(x) AS s, MIN(x) AS mn, MAX(x) AS mx, window_start FROM e WINDOW TUMBLING(20 ms) GROUP BY k", lines);

            var firstSeen = events.Select((e, i) => (e.K, i)).GroupBy(p => p.K).ToDictionary(g => g.Key, g => g.Min(p => p.i));
            var expected = events
                .GroupBy(e => (Start: (long)Math.Floor(e.T / 20.0) * 20, e.K))
                .OrderBy(g => g.Key.Start).ThenBy(g => firstSeen[g.Key.K])
                .Select(g =>
                {
                    var xs = g.Where(e => e.X is not null).Select(e => e.X!.Value).ToList();
                    string Or(long? v) => v?.ToString() ?? "null";
                    return $"{{\"k\":\"{g.Key.K}\",\"c\":{g.Count()},\"s\":{Or(xs.Count == 0 ? null : xs.Sum())},\"mn\":{Or(xs.Count == 0 ? null : xs.Min())},\"mx\":{Or(xs.Count == 0 ? null : xs.Max())},\"window_start\":{g.Key.Start}}}";
                })
                .ToList();
            Assert.Equal(expected, rows);
        }
    }

    [Theory]
    [InlineData(30, 10)]
    [InlineData(25, 10)]
    [InlineData(10, 10)]
    [InlineData(7, 3)]
    public void Sliding_PaneMerging_MatchesNaiveRecomputation(int size, int slide)
    {
        var random = new Random(size * 31 + slide);
        for (var trial = 0; trial < 30; trial++)
        {
            var events = new List<(long T, string K, long? X)>();
            long t = random.Next(-40, 40);
            for (var i = 0; i < random.Next(1, 150); i++)
            {
                t += random.Next(0, 9);
                events.Add((t, $"k{random.Next(4)}", random.Next(5) == 0 ? null : random.Next(-100, 100)));
            }

            var lines = events.Select(e => $"{{\"_timestamp\":{e.T},\"k\":\"{e.K}\",\"x\":{(e.X is null ? "null" : e.X.ToString())}}}");
            var rows = QueryRunner.Run($"SELECT k, COUNT(*) AS c, SUM(x) AS s, MIN(x) AS mn, MAX(x) AS mx, FIRST(x) AS f, LAST(x) AS l, window_start, window_end FROM e WINDOW SLIDING({size} ms, {slide} ms) GROUP BY k", lines);

            var expected = NaiveSliding(events, e => e.T, e => e.K, size, slide, (start, g) =>
            {
                var xs = g.Where(e => e.X is not null).Select(e => e.X!.Value).ToList();
                string Or(long? v) => v?.ToString() ?? "null";
                return $"{{\"k\":\"{g.Key}\",\"c\":{g.Count()},\"s\":{Or(xs.Count == 0 ? null : xs.Sum())},\"mn\":{Or(xs.Count == 0 ? null : xs.Min())},\"mx\":{Or(xs.Count == 0 ? null : xs.Max())},\"f\":{Or(xs.Count == 0 ? null : xs[0])},\"l\":{Or(xs.Count == 0 ? null : xs[^1])},\"window_start\":{start},\"window_end\":{start + size}}}";
            });
            Assert.Equal(expected, rows);
        }
    }

    [Theory]
    [InlineData(30, 10, false)]
    [InlineData(30, 10, true)]
    [InlineData(7, 3, true)]
    [InlineData(20, 20, false)]
    [InlineData(6, 10, true)]
    public void Sliding_RunningMerge_SubtractsOrRebuilds_AndMatchesNaiveRecomputation(int size, int slide, bool reals)
    {
        // Whole values take the exact subtract path; a real value in a pane makes its groups rebuild from their panes.
        // Reals are quarter steps, so every sum is exact in any order and the naive sums compare exactly.
        var random = new Random((size * 31) + slide + (reals ? 7 : 0));
        for (var trial = 0; trial < 40; trial++)
        {
            var events = new List<(long T, string K, double? X, bool Whole)>();
            long t = random.Next(-40, 40);
            for (var i = 0; i < random.Next(1, 200); i++)
            {
                t += random.Next(10) == 0 ? random.Next(0, 3 * size) : random.Next(0, 6);
                var whole = !reals || random.Next(3) > 0;
                double? x = random.Next(5) == 0 ? null : whole ? random.Next(-100, 100) : random.Next(-400, 400) + 0.25 + (0.5 * random.Next(2));
                events.Add((t, $"k{random.Next(4)}", x, whole));
            }

            var lines = events.Select(e => $"{{\"_timestamp\":{e.T},\"k\":\"{e.K}\",\"x\":{(e.X is null ? "null" : e.X.Value.ToString(System.Globalization.CultureInfo.InvariantCulture))}}}");
            var rows = QueryRunner.Run($"SELECT k, COUNT(x) AS c, SUM(x) AS s, AVG(x) AS a, window_start FROM e WINDOW SLIDING({size} ms, {slide} ms) GROUP BY k", lines);

            var expected = NaiveSliding(events, e => e.T, e => e.K, size, slide, (start, g) =>
            {
                var xs = g.Where(e => e.X is not null).ToList();
                var sum = xs.Sum(e => e.X!.Value);
                var s = xs.Count == 0 ? "null" : xs.All(e => e.Whole) ? ((long)sum).ToString(System.Globalization.CultureInfo.InvariantCulture) : System.Text.Json.JsonSerializer.Serialize(sum);
                var a = xs.Count == 0 ? "null" : System.Text.Json.JsonSerializer.Serialize(sum / xs.Count);
                return $"{{\"k\":\"{g.Key}\",\"c\":{xs.Count},\"s\":{s},\"a\":{a},\"window_start\":{start}}}";
            });
            Assert.Equal(expected, rows);
        }
    }

    /// <summary>
    /// The rows a SLIDING window must give, recomputed from scratch: every window [k·slide, k·slide + size) around the
    /// events, one row per key with events in it, ordered by window end, start, then the key's first appearance.
    /// </summary>
    private static List<string> NaiveSliding<T>(List<T> events, Func<T, long> time, Func<T, string> key, int size, int slide, Func<long, IGrouping<string, T>, string> row)
    {
        var firstSeen = events.Select((e, i) => (K: key(e), i)).GroupBy(p => p.K).ToDictionary(g => g.Key, g => g.Min(p => p.i));
        var expected = new List<(long End, long Start, int First, string Row)>();
        var ks = events.Select(e => (long)Math.Floor((double)time(e) / slide)).ToList();
        for (var k = ks.Min() - (size / slide) - 1; k <= ks.Max() + 1; k++)
        {
            var start = k * slide;
            foreach (var g in events.Where(e => time(e) >= start && time(e) < start + size).GroupBy(key))
            {
                expected.Add((start + size, start, firstSeen[g.Key], row(start, g)));
            }
        }

        return [.. expected.OrderBy(x => x.End).ThenBy(x => x.Start).ThenBy(x => x.First).Select(x => x.Row)];
    }

    private static readonly int[] LatenessTimes = [1, 12, 8, 6, 25];

    [Fact]
    public void AllowedLateness_ThatReordersNewGroups_StillEmitsThemInFirstAppearanceOrder()
    {
        // A appears (input position 1) before B (position 2), but B's earlier time releases it first, so B is numbered
        // first: rows must still follow the input.
        var engine = new Engine.QueryEngine(Parsing.Analyzer.ParseAndCheck("SELECT k, COUNT(*) AS n FROM e WINDOW TUMBLING(10 ms) GROUP BY k"), TimeSpan.FromMilliseconds(5));
        var rows = new List<string>();
        void Emit(Engine.OutputRow r) => rows.Add($"{r.Columns[0].Value}:{r.Columns[1].Value}");
        string[] lines = ["{\"_timestamp\":1,\"k\":\"X\"}", "{\"_timestamp\":8,\"k\":\"A\"}", "{\"_timestamp\":5,\"k\":\"B\"}"];
        for (var i = 0; i < lines.Length; i++)
        {
            engine.Push(Engine.Event.FromJson(System.Text.Encoding.UTF8.GetBytes(lines[i]), i), Emit);
        }

        engine.End(Emit);
        Assert.Equal(["X:1", "A:1", "B:1"], rows);
    }

    [Fact]
    public void AllowedLateness_HoldsEventsUpToLBehindAndReleasesThemInTimeOrder()
    {
        var lines = LatenessTimes.Select((t, i) => $"{{\"_timestamp\":{t},\"i\":{i}}}").ToList();
        string Rows(TimeSpan lateness)
        {
            var engine = new Engine.QueryEngine(Parsing.Analyzer.ParseAndCheck("SELECT COUNT(*) AS n, window_start FROM e WINDOW TUMBLING(10 ms)"), lateness);
            var rows = new List<string>();
            void Emit(Engine.OutputRow r) => rows.Add($"{r.Columns[1].Value}:{r.Columns[0].Value}");
            for (var i = 0; i < lines.Count; i++)
            {
                engine.Push(Engine.Event.FromJson(System.Text.Encoding.UTF8.GetBytes(lines[i]), i), Emit);
            }

            engine.End(Emit);
            return string.Join(' ', rows) + $" late={engine.Late}";
        }

        // Without lateness 8 and 6 trail the watermark 12 and are dropped. With 5 ms, 8 (>= 12 - 5) counts and 6 does not.
        Assert.Equal("0:1 10:1 20:1 late=2", Rows(TimeSpan.Zero));
        Assert.Equal("0:2 10:1 20:1 late=1", Rows(TimeSpan.FromMilliseconds(5)));
    }

    [Fact]
    public void GroupedColumns_InTheSelectList_ComeOutAsTheGroupsValues_ForEveryKindOfKey()
    {
        // Text, boolean, NULL (and missing) and numeric keys over three columns, also inside expressions; 2 and 2.0 are
        // one group, and groups come out in order of their first appearance in the input.
        var rows = QueryRunner.Run("SELECT k, f, UPPER(k) AS u, n * 10 AS t, COUNT(*) AS c FROM e WINDOW TUMBLING(10 ms) GROUP BY k, f, n", """
            {"_timestamp":1,"k":"a","f":true,"n":2}
            {"_timestamp":2,"k":"a","f":true,"n":2.0}
            {"_timestamp":3,"k":null,"f":false,"n":3}
            {"_timestamp":4,"f":false,"n":3}
            {"_timestamp":11,"k":"a","f":true,"n":2.5}
            {"_timestamp":12,"k":"a","f":true,"n":2.0}
            """);
        Assert.Equal(
            [
                """{"k":"a","f":true,"u":"A","t":20,"c":2}""",
                """{"k":null,"f":false,"u":null,"t":30,"c":2}""",
                """{"k":"a","f":true,"u":"A","t":20,"c":1}""",
                """{"k":"a","f":true,"u":"A","t":25,"c":1}""",
            ],
            rows);
    }

    [Fact]
    public void OneColumnKeys_OfMixedKinds_AreDistinctGroups_TextNeverEqualsANumber()
    {
        var rows = QueryRunner.Run("SELECT k, COUNT(*) AS c FROM e WINDOW TUMBLING(10 ms) GROUP BY k", """
            {"_timestamp":1,"k":"1"}
            {"_timestamp":2,"k":1}
            {"_timestamp":3,"k":1.0}
            {"_timestamp":4,"k":null}
            {"_timestamp":5,"k":"a"}
            {"_timestamp":6}
            {"_timestamp":7,"k":"1"}
            {"_timestamp":8,"k":true}
            """);
        Assert.Equal(
            [
                """{"k":"1","c":2}""",
                """{"k":1,"c":2}""",
                """{"k":null,"c":2}""",
                """{"k":"a","c":1}""",
                """{"k":true,"c":1}""",
            ],
            rows);
    }
}
