using Efflux.Processing.Parsing;
using Efflux.Processing.Syntax;

namespace Efflux.Processing.Tests;

public sealed class ParserTests
{
    [Fact]
    public void Parse_WindowedAggregation_BuildsTheStatement()
    {
        var s = Analyzer.ParseAndCheck("""
            select sensor, AVG(temp) as avgTemp, COUNT(*), window_start
            FROM readings WINDOW SLIDING(10 sec, 1 sec)
            WHERE temp IS NOT NULL AND sensor LIKE 'room%'
            GROUP BY sensor
            HAVING AVG(temp) > 20.5
            INSERT INTO hot;
            """).Single();
        Assert.Equal(["sensor", "avgTemp", "COUNT(*)", "window_start"], s.Select.Select(i => i.Name));
        Assert.Equal("readings", s.From.Name);
        Assert.Equal(new WindowSpec(WindowKind.Sliding, 10_000, 1_000, null, null, s.From.Window!.Position), s.From.Window);
        Assert.IsType<BinaryExpr>(s.Where);
        Assert.Single(s.GroupBy);
        Assert.Equal("hot", s.Output);
    }

    [Theory]
    [InlineData("TUMBLING(5 sec)", WindowKind.Tumbling, 5000L, null, null)]
    [InlineData("SESSION(2 min)", WindowKind.Session, 120_000L, null, null)]
    [InlineData("TIME(1 hour)", WindowKind.Time, 3_600_000L, null, null)]
    [InlineData("TIMEBATCH(1 day)", WindowKind.TimeBatch, 86_400_000L, null, null)]
    [InlineData("DELAY(250 ms)", WindowKind.Delay, 250L, null, null)]
    [InlineData("LENGTH(1000)", WindowKind.Length, null, 1000L, null)]
    [InlineData("lengthbatch(3)", WindowKind.LengthBatch, null, 3L, null)]
    [InlineData("EXTERNALTIME(ts, 1.5 seconds)", WindowKind.ExternalTime, 1500L, null, "ts")]
    public void Parse_EveryWindow(string window, WindowKind kind, long? size, long? count, string? attribute)
    {
        var spec = Parser.Parse($"SELECT x FROM s WINDOW {window}").Single().From.Window!;
        Assert.Equal(kind, spec.Kind);
        Assert.Equal(size, spec.Size);
        Assert.Equal(count, spec.Count);
        Assert.Equal(attribute, spec.TimeAttribute);
    }

    [Fact]
    public void Parse_PatternAndJoinAndSeveralStatements()
    {
        var statements = Analyzer.ParseAndCheck("""
            -- a momentum pattern
            SELECT e1.symbol, e2.price - e1.price AS rise
            FROM trades
            MATCH (e1=trades -> e2=trades -> e3=Trade)
            WITHIN 10 sec
            FILTER e2.price > e1.price AND e3.symbol = e1.symbol
            INSERT INTO momentum;
            SELECT t.symbol, q.bid FROM trades AS t WINDOW LENGTH(10) JOIN quotes AS q WINDOW TIME(1 min) ON t.symbol = q.symbol
            """, "fallback");
        Assert.Equal(2, statements.Count);
        var pattern = statements[0].Pattern!;
        Assert.Equal(["e1", "e2", "e3"], pattern.Steps.Select(s => s.Alias));
        Assert.Equal("Trade", pattern.Steps[2].Stream);
        Assert.Equal(10_000, pattern.Within);
        Assert.Equal(["symbol", "rise"], statements[0].Select.Select(i => i.Name));
        Assert.Equal("fallback", statements[1].Output);
        Assert.Equal("q", statements[1].Join!.Right.Alias);
    }

    [Fact]
    public void Parse_Expressions_RespectPrecedenceAndLiterals()
    {
        var e = Parser.Parse("SELECT NOT a = 1 OR b + 2 * -c > 3 AND d IN (1, 'x''y', NULL) FROM s").Single().Select[0].Expression!;
        var or = Assert.IsType<BinaryExpr>(e);
        Assert.Equal("OR", or.Operator);
        Assert.IsType<UnaryExpr>(or.Left);
        var and = Assert.IsType<BinaryExpr>(or.Right);
        Assert.Equal("AND", and.Operator);
        var gt = Assert.IsType<BinaryExpr>(and.Left);
        var plus = Assert.IsType<BinaryExpr>(gt.Left);
        Assert.Equal("+", plus.Operator);
        Assert.Equal("*", Assert.IsType<BinaryExpr>(plus.Right).Operator);
        var @in = Assert.IsType<InExpr>(and.Right);
        Assert.Equal([1L, "x'y", null], @in.Items.Cast<LiteralExpr>().Select(l => l.Value));
    }

    [Fact]
    public void Parse_CaseAndFunctions_NamedByTheirTextWithoutSpaces()
    {
        var s = Analyzer.ParseAndCheck("SELECT CASE WHEN x > 1 THEN 'big' ELSE 'small' END, ROUND(price * 1.2, 2), CONCAT(a, ' ', b) FROM s").Single();
        Assert.Equal(["CASEWHENx>1THEN'big'ELSE'small'END", "ROUND(price*1.2,2)", "CONCAT(a,' ',b)"], s.Select.Select(i => i.Name));
    }

    [Theory]
    [InlineData("SELECT FROM s", 1, 8, "expected an expression, found 'FROM'")]
    [InlineData("SELECT x FROM s WINDOW TUMBLING(5)", 1, 34, "expected a duration unit")]
    [InlineData("SELECT x FROM s WINDOW TUMBLING(5 weeks)", 1, 35, "expected a duration unit")]
    [InlineData("SELECT x FROM s WINDOW SPINNING(5 sec)", 1, 24, "expected a window type")]
    [InlineData("SELECT x FROM s WINDOW LENGTH(0)", 1, 31, "positive whole number")]
    [InlineData("SELECT x FROM s WINDOW TUMBLING(0 sec)", 1, 33, "at least 1 ms")]
    [InlineData("SELECT x\nFROM s\nWHERE x = 'open", 3, 11, "unterminated string")]
    [InlineData("SELECT x FROM s MATCH (a=s) WITHIN 1 sec", 1, 27, "at least two steps")]
    [InlineData("SELECT x FROM s extra", 1, 17, "expected ';' or the end of the query")]
    [InlineData("SELECT x FROM s WHERE x # 1", 1, 25, "unexpected character '#'")]
    [InlineData("SELECT a. FROM s", 1, 11, "an attribute name after '.'")]
    public void Parse_BadSyntax_ReportsLineColumnAndExpectation(string text, int line, int column, string message)
    {
        var ex = Assert.Throws<QueryException>(() => Parser.Parse(text));
        Assert.Equal(new SourcePosition(line, column), ex.Position);
        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("SELECT x.a FROM s", "unknown stream or alias 'x'")]
    [InlineData("SELECT a FROM s WHERE COUNT(*) > 1", "not allowed in WHERE")]
    [InlineData("SELECT a, COUNT(*) FROM s WINDOW TUMBLING(1 sec)", "'a' must appear in GROUP BY")]
    [InlineData("SELECT a, b, SUM(c) FROM s WINDOW TUMBLING(1 sec) GROUP BY a", "'b' must appear in GROUP BY")]
    [InlineData("SELECT a FROM s WINDOW TUMBLING(1 sec) GROUP BY a HAVING b > 1", "'b' must appear in GROUP BY")]
    [InlineData("SELECT SUM(MAX(a)) FROM s WINDOW LENGTH(5)", "cannot be nested")]
    [InlineData("SELECT FOO(a) FROM s", "unknown function FOO")]
    [InlineData("SELECT ROUND(a, 1, 2) FROM s", "ROUND takes 1 to 2 arguments")]
    [InlineData("SELECT SUM(*) FROM s WINDOW LENGTH(5)", "only COUNT accepts '*'")]
    [InlineData("SELECT *, COUNT(*) FROM s WINDOW LENGTH(5)", "'*' cannot be selected")]
    [InlineData("SELECT window_start, a FROM s WINDOW LENGTH(5)", "only available in windowed aggregations")]
    [InlineData("SELECT e1.x FROM s MATCH (e1=s -> e1=s) WITHIN 1 sec", "used twice")]
    [InlineData("SELECT e3.x FROM s MATCH (e1=s -> e2=s) WITHIN 1 sec", "unknown stream or alias 'e3'")]
    [InlineData("SELECT a FROM s MATCH (e1=s -> e2=s) WITHIN 1 sec FILTER COUNT(*) > 1", "not allowed in FILTER")]
    public void Check_SemanticErrors_AreReportedBeforeRunning(string text, string message)
    {
        var ex = Assert.Throws<QueryException>(() => Analyzer.ParseAndCheck(text));
        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("SELECT a, COUNT(*) AS n, window_end FROM s WINDOW TUMBLING(1 sec) GROUP BY a")]
    [InlineData("SELECT a + 1, AVG(b) FROM s WINDOW LENGTH(5) GROUP BY a + 1")]
    [InlineData("SELECT t.sym, SUM(t.qty) FROM s AS t WINDOW TIME(1 min) GROUP BY sym")]
    [InlineData("SELECT COUNT(*) FROM s WINDOW LENGTHBATCH(10) HAVING COUNT(*) > 2")]
    [InlineData("select lower(name) from s where name <> 'x' and not (a is null)")]
    public void Check_ValidQueries_Pass(string text)
        => Assert.NotEmpty(Analyzer.ParseAndCheck(text));
}
