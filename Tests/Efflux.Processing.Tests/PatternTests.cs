namespace Efflux.Processing.Tests;

/// <summary>The pattern rules of EFFLUXQL.md, case by case.</summary>
public sealed class PatternTests
{
    [Fact]
    public void Match_EveryStart_SeveralPartialsBindTheSameEvent_EmittedInFirstEventOrder()
    {
        var rows = QueryRunner.Run("SELECT e1.id AS a, e2.id AS b, e2.v - e1.v AS rise FROM s MATCH (e1=s -> e2=s) WITHIN 10 ms FILTER e2.v > e1.v", """
            {"_timestamp":0,"id":"1","v":1}
            {"_timestamp":1,"id":"2","v":0}
            {"_timestamp":2,"id":"3","v":5}
            """);
        Assert.Equal(["""{"a":"1","b":"3","rise":4}""", """{"a":"2","b":"3","rise":5}"""], rows);
    }

    [Fact]
    public void Match_BindsTheFirstLaterQualifyingEventOnly()
    {
        var rows = QueryRunner.Run("SELECT e1.id AS a, e2.id AS b FROM s MATCH (e1=A -> e2=B) WITHIN 1 sec", """
            {"_timestamp":0,"id":"a1","_data_type":"A"}
            {"_timestamp":1,"id":"b1","_data_type":"B"}
            {"_timestamp":2,"id":"b2","_data_type":"B"}
            """);
        Assert.Equal(["""{"a":"a1","b":"b1"}"""], rows);
    }

    [Theory]
    [InlineData(10, true)]
    [InlineData(11, false)]
    public void Match_Within_IsMeasuredFromTheFirstEvent(int secondTime, bool matches)
    {
        var rows = QueryRunner.Run("SELECT e1.id AS a, e2.id AS b FROM s MATCH (e1=A -> e2=B) WITHIN 10 ms", $$"""
            {"_timestamp":0,"id":"a","_data_type":"A"}
            {"_timestamp":{{secondTime}},"id":"b","_data_type":"B"}
            """);
        Assert.Equal(matches ? 1 : 0, rows.Count);
    }

    [Fact]
    public void Match_FirstStepConjuncts_AreCheckedWhenE1Binds_AndThreeStepsChain()
    {
        var rows = QueryRunner.Run("""
            SELECT e1.v AS v1, e2.v AS v2, e3.v AS v3
            FROM ticks MATCH (e1=ticks -> e2=ticks -> e3=ticks) WITHIN 1 min
            FILTER e1.v > 10 AND e2.v > e1.v AND e3.v > e2.v AND e3.sym = e1.sym
            """, """
            {"_timestamp":0,"v":5,"sym":"x"}
            {"_timestamp":1,"v":11,"sym":"x"}
            {"_timestamp":2,"v":12,"sym":"y"}
            {"_timestamp":3,"v":13,"sym":"y"}
            {"_timestamp":4,"v":14,"sym":"x"}
            """);

        // e1=5 never starts (5 > 10 fails). From e1=11(x): e2=12, then e3 must be > 12 with sym x: 13 is y, 14 is x.
        // From e1=12(y): e2=13, e3=14 is x, not y: no match. From e1=13(y): e2=14, no e3.
        Assert.Equal(["""{"v1":11,"v2":12,"v3":14}"""], rows);
    }

    [Fact]
    public void Match_LateEventsAreDropped_AndPartialsDieAtEndOfInput()
    {
        var engine = new Engine.QueryEngine(Parsing.Analyzer.ParseAndCheck("SELECT e1.id AS a FROM s MATCH (e1=A -> e2=B) WITHIN 1 sec"));
        var rows = new List<Engine.OutputRow>();
        var lines = new[] { """{"_timestamp":10,"id":"a","_data_type":"A"}""", """{"_timestamp":5,"id":"b","_data_type":"B"}""" };
        for (var i = 0; i < lines.Length; i++)
        {
            engine.Push(Engine.Event.FromJson(System.Text.Encoding.UTF8.GetBytes(lines[i]), i), rows.Add);
        }

        engine.End(rows.Add);
        Assert.Empty(rows);
        Assert.Equal(1, engine.Late);
    }
}
