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
}
