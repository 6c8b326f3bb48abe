
namespace Efflux.Processing.Tests;

/// <summary><c>efflux query check</c> as a real process.</summary>
public sealed class QueryCheckCliTests
{
    [Fact]
    public void QueryCheck_ValidAndInvalidFiles_ExitCodesAndPositions()
    {
        var dir = Directory.CreateTempSubdirectory("efflux-query-");
        try
        {
            var good = Path.Combine(dir.FullName, "hot_rooms.sql");
            File.WriteAllText(good, "SELECT room, AVG(temp) FROM readings WINDOW TUMBLING(1 min) GROUP BY room;\nSELECT * FROM readings WHERE temp > 30 INSERT INTO alarms;");
            var ok = Run("query", "check", "--query", good);
            Assert.Equal(0, ok.ExitCode);
            Assert.Contains("ok: 2 statement(s); outputs: hot_rooms, alarms", ok.Stdout, StringComparison.Ordinal);

            var bad = Path.Combine(dir.FullName, "bad.sql");
            File.WriteAllText(bad, "SELECT room\nFROM readings WINDOW TUMBLING(1 fortnight)");
            var failed = Run("query", "check", "--query", bad);
            Assert.Equal(1, failed.ExitCode);
            Assert.Contains("bad.sql:2:33: expected a duration unit", failed.Stderr, StringComparison.Ordinal);

            var missing = Run("query", "check", "--query", Path.Combine(dir.FullName, "none.sql"));
            Assert.Equal(2, missing.ExitCode);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void QueryRun_FilterAndProject_PrintsRowsAndWrapsSeveralOutputs()
    {
        var dir = Directory.CreateTempSubdirectory("efflux-query-");
        try
        {
            var events = Path.Combine(dir.FullName, "events.jsonl");
            File.WriteAllText(events, "{\"_timestamp\":1,\"room\":\"a\",\"temp\":31}\n\n{\"_timestamp\":2,\"room\":\"b\",\"temp\":19.5}\n");
            var single = Path.Combine(dir.FullName, "hot.sql");
            File.WriteAllText(single, "SELECT room, temp * 2 AS doubled FROM readings WHERE temp > 30;");
            var one = Run("query", "run", "--query", single, "--input", events);
            Assert.Equal(0, one.ExitCode);
            Assert.Equal("{\"room\":\"a\",\"doubled\":62}", one.Stdout.Trim());

            var several = Path.Combine(dir.FullName, "both.sql");
            File.WriteAllText(several, "SELECT room FROM readings WHERE temp > 30 INSERT INTO hot; SELECT room FROM readings WHERE temp < 20 INSERT INTO cold;");
            var two = Run("query", "run", "--query", several, "--input", events);
            Assert.Equal(0, two.ExitCode);
            Assert.Equal(["{\"output\":\"hot\",\"row\":{\"room\":\"a\"}}", "{\"output\":\"cold\",\"row\":{\"room\":\"b\"}}"], two.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));

            File.AppendAllText(events, "{\"room\":\"c\"}\n");
            var badEvent = Run("query", "run", "--query", single, "--input", events);
            Assert.Equal(1, badEvent.ExitCode);
            Assert.Contains("events.jsonl:4: the event has no valid _timestamp", badEvent.Stderr, StringComparison.Ordinal);

            File.WriteAllText(single, "SELECT room FROM readings WHERE");
            var badQuery = Run("query", "run", "--query", single, "--input", events);
            Assert.Equal(1, badQuery.ExitCode);
            Assert.Contains("hot.sql:1:32: expected an expression", badQuery.Stderr, StringComparison.Ordinal);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private static (int ExitCode, string Stdout, string Stderr) Run(params string[] args) => Programs.Efflux(args);
}
