using Efflux.Processing.Parsing;
using Efflux.Processing.Engine;

namespace Efflux.Processing.Tests;

/// <summary>Expression semantics from EFFLUXQL.md, evaluated through a running filter/project query.</summary>
public sealed class ExpressionTests
{
    [Theory]
    [InlineData("1 + 2", "3")]
    [InlineData("7 / 2", "3.5")]
    [InlineData("6 / 3", "2")]
    [InlineData("7 % 3", "1")]
    [InlineData("7 / 0", "null")]
    [InlineData("7 % 0", "null")]
    [InlineData("1.5 * 2", "3")]
    [InlineData("missing + 1", "null")]
    [InlineData("-price", "-10.5")]
    [InlineData("9223372036854775807 + 1", "9.223372036854776E+18")]
    [InlineData("-9223372036854775807 - 2", "-9.223372036854776E+18")]
    [InlineData("4611686018427387904 * 2", "9.223372036854776E+18")]
    [InlineData("-4611686018427387904 * 2", "-9223372036854775808")]
    [InlineData("qty * -4", "-12")]
    [InlineData("10 - qty", "7")]
    [InlineData("-7 % 3", "-1")]
    [InlineData("7.5 % 2", "1.5")]
    [InlineData("qty + 1", "4")]
    [InlineData("qty - 5", "-2")]
    [InlineData("price * 2", "21")]
    [InlineData("qty / 2", "1.5")]
    [InlineData("qty % 2", "1")]
    [InlineData("qty / 0", "null")]
    [InlineData("name * 2", "null")]
    [InlineData("s.qty * 2", "6")]
    [InlineData("qty > 2", "true")]
    [InlineData("qty <= 2", "false")]
    [InlineData("price >= 10.5", "true")]
    [InlineData("missing < 1", "false")]
    [InlineData("missing = NULL", "false")]
    [InlineData("missing != 1", "false")]
    [InlineData("NOT (missing = 1)", "true")]
    [InlineData("NOT missing", "null")]
    [InlineData("qty = 3.0", "true")]
    [InlineData("name = 'Widget'", "true")]
    [InlineData("name < 'Z'", "true")]
    [InlineData("name = 3", "false")]
    [InlineData("name != 3", "true")]
    [InlineData("missing IS NULL AND name IS NOT NULL", "true")]
    [InlineData("qty IN (1, 2, 3)", "true")]
    [InlineData("qty NOT IN (1, 2)", "true")]
    [InlineData("missing IN (NULL)", "false")]
    [InlineData("name LIKE 'W%t'", "true")]
    [InlineData("name LIKE 'W_dget'", "true")]
    [InlineData("name NOT LIKE '%x%'", "true")]
    [InlineData("name LIKE 'w%'", "false")]
    [InlineData("CASE WHEN qty > 5 THEN 'many' WHEN qty > 2 THEN 'some' ELSE 'few' END", "\"some\"")]
    [InlineData("CASE WHEN qty > 5 THEN 'many' END", "null")]
    [InlineData("ABS(-3)", "3")]
    [InlineData("ROUND(price)", "11")]
    [InlineData("ROUND(2.345, 2)", "2.35")]
    [InlineData("ROUND(-2.5)", "-3")]
    [InlineData("FLOOR(price)", "10")]
    [InlineData("CEIL(price)", "11")]
    [InlineData("SQRT(16)", "4")]
    [InlineData("SQRT(-1)", "null")]
    [InlineData("LOWER(name) || 'x' = 'y'", null)]
    [InlineData("UPPER(name)", "\"WIDGET\"")]
    [InlineData("LENGTH(name)", "6")]
    [InlineData("LENGTH(qty)", "null")]
    [InlineData("CONCAT(name, '-', qty, missing)", "\"Widget-3\"")]
    [InlineData("COALESCE(missing, NULL, qty)", "3")]
    [InlineData("nested", "\"{\\\"a\\\":[1,2]}\"")]
    [InlineData("flag AND NOT FALSE", "true")]
    public void Evaluate_MatchesTheContract(string expression, string? expected)
    {
        if (expected is null)
        {
            Assert.Throws<QueryException>(() => Analyzer.ParseAndCheck($"SELECT {expression} AS v FROM s"));
            return;
        }

        var rows = Run($"SELECT {expression} AS v FROM s", """{"_timestamp":1000,"price":10.5,"qty":3,"name":"Widget","flag":true,"nested":{"a":[1,2]}}""");
        Assert.Equal($"{{\"v\":{expected}}}", Assert.Single(rows));
    }

    [Fact]
    public void Run_WhereAndStar_FilterAndKeepInputOrder()
    {
        var rows = Run("SELECT * FROM s WHERE qty >= 2 AND name LIKE 'a%'", """
            {"_timestamp":1,"name":"apple","qty":2}
            {"_timestamp":2,"name":"avocado","qty":1}
            {"_timestamp":"1970-01-01T00:00:00.003Z","name":"apricot","qty":5}
            {"_timestamp":4,"name":"banana","qty":9}
            """);
        Assert.Equal(
            [
                """{"_timestamp":1,"name":"apple","qty":2}""",
                """{"_timestamp":"1970-01-01T00:00:00.003Z","name":"apricot","qty":5}""",
            ],
            rows);
    }

    [Fact]
    public void Event_TimestampFormats_AndMissingTimestampIsAnError()
    {
        Assert.Equal(1500, Event.FromJson("""{"_timestamp":1500}"""u8, 0).Time);
        Assert.Equal(86_400_000, Event.FromJson("""{"_timestamp":"1970-01-02T00:00:00Z"}"""u8, 0).Time);
        Assert.Throws<FormatException>(() => Event.FromJson("""{"x":1}"""u8, 0));
        Assert.Throws<FormatException>(() => Event.FromJson("""[1]"""u8, 0));
        Assert.Throws<FormatException>(() => Event.FromJson("""{"x":"""u8, 0));
    }

    [Theory]
    [InlineData("", "", true)]
    [InlineData("abc", "%", true)]
    [InlineData("abc", "a%c", true)]
    [InlineData("abc", "a%b", false)]
    [InlineData("abcbc", "%bc", true)]
    [InlineData("abc", "___", true)]
    [InlineData("abc", "__", false)]
    [InlineData("a%c", "a%%c", true)]
    [InlineData("mississippi", "m%iss%pi", true)]
    [InlineData("mississippi", "m%iss%px", false)]
    public void LikeMatcher_Cases(string text, string pattern, bool expected) => Assert.Equal(expected, LikeMatcher.Matches(text, pattern));

    [Fact]
    public void Engine_JoinWithADelaySide_IsRejectedWithAClearMessage()
    {
        var ex = Assert.Throws<QueryException>(() => new QueryEngine(Analyzer.ParseAndCheck("SELECT a.x FROM s AS a WINDOW DELAY(1 sec) JOIN t AS b WINDOW LENGTH(1) ON a.x = b.x")));
        Assert.Contains("DELAY holds events back instead of keeping a window of them, so it cannot be a join side", ex.Message, StringComparison.Ordinal);
        Assert.Equal(1, ex.Position.Line);
        Assert.Equal(31, ex.Position.Column);
    }

    private static List<string> Run(string query, string jsonLines) => QueryRunner.Run(query, jsonLines);
}
