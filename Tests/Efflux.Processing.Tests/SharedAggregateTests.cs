using System.Globalization;
using System.Text.Json;

namespace Efflux.Processing.Tests;

/// <summary>
/// Aggregate calls that need the same running state share it (SUM(x) and AVG(x) keep one sum; a call written twice is
/// kept once; an argument used by several calls is read once per event). A query of many such calls must give, column
/// for column, what each call gives in a query of its own, where nothing is shared.
/// </summary>
public sealed class SharedAggregateTests
{
    private static readonly string[] Calls = ["SUM(x)", "AVG(x)", "COUNT(x)", "COUNT(*)", "SUM(x)", "AVG(x * 1)", "MIN(x)", "MAX(x)", "COUNT(*)", "AVG(y)", "SUM(y)", "STDDEV(x)"];

    [Theory]
    [InlineData("TUMBLING(5 ms)")]
    [InlineData("SLIDING(6 ms, 2 ms)")]
    [InlineData("LENGTH(4)")]
    [InlineData("TIME(7 ms)")]
    [InlineData("LENGTHBATCH(3)")]
    [InlineData("SESSION(3 ms)")]
    public void SharedStates_GiveWhatEachCallGivesAlone(string window)
    {
        var random = new Random(window.GetHashCode(StringComparison.Ordinal));
        for (var trial = 0; trial < 25; trial++)
        {
            var time = 0;
            var lines = Enumerable.Range(0, random.Next(1, 80)).Select(_ =>
            {
                time += random.Next(0, 3);
                return $"{{\"_timestamp\":{time},\"k\":\"k{random.Next(3)}\",\"x\":{Number(random)},\"y\":{Number(random)}}}";
            }).ToList();

            var columns = string.Join(", ", Calls.Select((c, i) => $"{c} AS c{i}"));
            var together = QueryRunner.Run($"SELECT k, {columns} FROM e WINDOW {window} GROUP BY k", lines).Select(Parse).ToList();
            for (var i = 0; i < Calls.Length; i++)
            {
                var alone = QueryRunner.Run($"SELECT k, {Calls[i]} AS c{i} FROM e WINDOW {window} GROUP BY k", lines).Select(Parse).ToList();
                Assert.Equal(alone.Count, together.Count);
                for (var row = 0; row < alone.Count; row++)
                {
                    Assert.True(
                        alone[row]["k"] == together[row]["k"] && alone[row][$"c{i}"] == together[row][$"c{i}"],
                        $"trial {trial}, {Calls[i]}, row {row}: alone {alone[row][$"c{i}"]}, together {together[row][$"c{i}"]}");
                }
            }
        }
    }

    /// <summary>Whole numbers, reals and NULLs, so that a sum switches between whole and real and skips NULLs.</summary>
    private static string Number(Random random) => random.Next(5) switch
    {
        0 => "null",
        1 => (random.Next(-50, 50) + 0.25).ToString("R", CultureInfo.InvariantCulture),
        _ => random.Next(-50, 50).ToString(CultureInfo.InvariantCulture),
    };

    private static Dictionary<string, string> Parse(string row)
    {
        using var document = JsonDocument.Parse(row);
        return document.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetRawText());
    }
}
