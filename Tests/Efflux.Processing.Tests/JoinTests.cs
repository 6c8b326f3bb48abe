namespace Efflux.Processing.Tests;

/// <summary>Window joins as EFFLUXQL.md defines them.</summary>
public sealed class JoinTests
{
    [Fact]
    public void Join_EachArrivalMatchesTheOtherSidesWindow_PairsInTheOtherSidesArrivalOrder()
    {
        var rows = QueryRunner.Run("SELECT t.id AS trade, q.bid AS bid FROM trades AS t WINDOW LENGTH(10) JOIN quotes AS q WINDOW LENGTH(10) ON t.sym = q.sym", """
            {"_timestamp":0,"_data_type":"quotes","sym":"x","bid":1}
            {"_timestamp":1,"_data_type":"quotes","sym":"y","bid":2}
            {"_timestamp":2,"_data_type":"trades","sym":"x","id":"t1"}
            {"_timestamp":3,"_data_type":"quotes","sym":"x","bid":3}
            {"_timestamp":4,"_data_type":"trades","sym":"x","id":"t2"}
            {"_timestamp":5,"_data_type":"other","sym":"x","id":"ignored"}
            """);
        Assert.Equal(
            [
                """{"trade":"t1","bid":1}""",
                """{"trade":"t1","bid":3}""",
                """{"trade":"t2","bid":1}""",
                """{"trade":"t2","bid":3}""",
            ],
            rows);
    }

    [Fact]
    public void Join_TimeWindowExpiresAndLengthWindowKeepsTheLastN()
    {
        var rows = QueryRunner.Run("SELECT t.id AS trade, q.bid AS bid FROM trades AS t WINDOW LENGTH(1) JOIN quotes AS q WINDOW TIME(5 ms) ON t.sym = q.sym WHERE q.bid > 0", """
            {"_timestamp":0,"_data_type":"quotes","sym":"x","bid":1}
            {"_timestamp":5,"_data_type":"trades","sym":"x","id":"t1"}
            {"_timestamp":6,"_data_type":"quotes","sym":"x","bid":0}
            {"_timestamp":7,"_data_type":"quotes","sym":"x","bid":7}
            {"_timestamp":8,"_data_type":"trades","sym":"x","id":"t2"}
            {"_timestamp":9,"_data_type":"quotes","sym":"x","bid":9}
            """);

        // q@0 left the TIME window when t1 arrived at 5; bid 0 fails WHERE; the LENGTH(1) trades window holds only t2 when q@9 arrives.
        Assert.Equal(["""{"trade":"t1","bid":7}""", """{"trade":"t2","bid":7}""", """{"trade":"t2","bid":9}"""], rows);
    }

    [Fact]
    public void Join_BatchWindows_HoldTheCurrentIntervalOrBlockOnly()
    {
        var rows = QueryRunner.Run("SELECT t.id AS trade, q.bid AS bid FROM trades AS t WINDOW LENGTHBATCH(2) JOIN quotes AS q WINDOW TUMBLING(10 ms) ON t.sym = q.sym", """
            {"_timestamp":1,"_data_type":"quotes","sym":"x","bid":1}
            {"_timestamp":5,"_data_type":"trades","sym":"x","id":"t1"}
            {"_timestamp":12,"_data_type":"trades","sym":"x","id":"t2"}
            {"_timestamp":13,"_data_type":"quotes","sym":"x","bid":2}
            {"_timestamp":14,"_data_type":"trades","sym":"x","id":"t3"}
            {"_timestamp":15,"_data_type":"quotes","sym":"x","bid":3}
            """);

        // t2 at 12 finds no quote: q@1 belonged to the interval [0, 10). q@13 meets the block [t1, t2]; t3 starts a new
        // block and meets q@13; q@15 meets the block [t3].
        Assert.Equal(
            [
                """{"trade":"t1","bid":1}""",
                """{"trade":"t1","bid":2}""",
                """{"trade":"t2","bid":2}""",
                """{"trade":"t3","bid":2}""",
                """{"trade":"t3","bid":3}""",
            ],
            rows);
    }

    [Fact]
    public void Join_SlidingSide_HoldsEveryIntervalStillOpen()
    {
        // SLIDING(10 ms, 4 ms): at t the side holds events from the oldest interval [4k, 4k + 10) containing t.
        var rows = QueryRunner.Run("SELECT t.id AS trade, q.bid AS bid FROM trades AS t JOIN quotes AS q WINDOW SLIDING(10 ms, 4 ms) ON t.sym = q.sym", """
            {"_timestamp":1,"_data_type":"quotes","sym":"x","bid":1}
            {"_timestamp":5,"_data_type":"quotes","sym":"x","bid":5}
            {"_timestamp":9,"_data_type":"trades","sym":"x","id":"t9"}
            {"_timestamp":10,"_data_type":"trades","sym":"x","id":"t10"}
            {"_timestamp":13,"_data_type":"trades","sym":"x","id":"t13"}
            {"_timestamp":14,"_data_type":"trades","sym":"x","id":"t14"}
            """);

        // At 9 the interval [0, 10) is open: q@1 and q@5. At 10 the oldest open one is [4, 14): q@5. At 13 still [4, 14).
        // At 14 the oldest open one is [8, 18): no quote.
        Assert.Equal(
            [
                """{"trade":"t9","bid":1}""",
                """{"trade":"t9","bid":5}""",
                """{"trade":"t10","bid":5}""",
                """{"trade":"t13","bid":5}""",
            ],
            rows);
    }

    [Fact]
    public void Join_SessionSide_HoldsTheCurrentSessionUntilTheGapPasses()
    {
        var rows = QueryRunner.Run("SELECT t.id AS trade, q.bid AS bid FROM trades AS t JOIN quotes AS q WINDOW SESSION(5 ms) ON t.sym = q.sym", """
            {"_timestamp":0,"_data_type":"quotes","sym":"x","bid":0}
            {"_timestamp":4,"_data_type":"quotes","sym":"x","bid":4}
            {"_timestamp":8,"_data_type":"trades","sym":"x","id":"t8"}
            {"_timestamp":9,"_data_type":"trades","sym":"x","id":"t9"}
            {"_timestamp":10,"_data_type":"quotes","sym":"x","bid":10}
            {"_timestamp":11,"_data_type":"trades","sym":"x","id":"t11"}
            """);

        // q@0 and q@4 form a session that ends at 4 + 5 = 9: t8 meets both, t9 none. q@10 starts a new session.
        Assert.Equal(
            [
                """{"trade":"t8","bid":0}""",
                """{"trade":"t8","bid":4}""",
                """{"trade":"t11","bid":10}""",
            ],
            rows);
    }

    [Fact]
    public void Join_ExternalTimeSide_UsesTheAttributeTimeAndCountsWhatItKeepsOut()
    {
        var lines = """
            {"_timestamp":0,"_data_type":"quotes","sym":"x","bid":1,"at":100}
            {"_timestamp":1,"_data_type":"quotes","sym":"x","bid":2,"at":104}
            {"_timestamp":2,"_data_type":"trades","sym":"x","id":"t1"}
            {"_timestamp":3,"_data_type":"quotes","sym":"x","bid":3,"at":106}
            {"_timestamp":4,"_data_type":"quotes","sym":"x","bid":4,"at":101}
            {"_timestamp":5,"_data_type":"quotes","sym":"x","bid":5}
            {"_timestamp":6,"_data_type":"trades","sym":"x","id":"t2"}
            """;
        const string Query = "SELECT t.id AS trade, q.bid AS bid FROM trades AS t JOIN quotes AS q WINDOW EXTERNALTIME(at, 5 ms) ON t.sym = q.sym";
        var rows = QueryRunner.Run(Query, lines);

        // At attribute time 106 the window (101, 106] keeps q@104 and q@106; q@101 is behind 106 and q without "at"
        // has no time: both are kept out and counted as late.
        Assert.Equal(
            [
                """{"trade":"t1","bid":1}""",
                """{"trade":"t1","bid":2}""",
                """{"trade":"t2","bid":2}""",
                """{"trade":"t2","bid":3}""",
            ],
            rows);
        var engine = new Engine.QueryEngine(Parsing.Analyzer.ParseAndCheck(Query));
        var sequence = 0;
        foreach (var line in lines.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            engine.Push(Engine.Event.FromJson(System.Text.Encoding.UTF8.GetBytes(line), sequence++), _ => { });
        }

        Assert.Equal(2, engine.Late);
    }
}
