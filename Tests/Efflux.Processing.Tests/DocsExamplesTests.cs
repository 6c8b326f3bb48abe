using System.Text.RegularExpressions;
using Efflux.Processing.Parsing;
using Efflux.Processing.Engine;

namespace Efflux.Processing.Tests;

/// <summary>Every SQL example in docs/EFFLUXQL.md parses, passes the checks and builds a running engine, so the page cannot rot.</summary>
public sealed partial class DocsExamplesTests
{
    [Fact]
    public void DocsEffluxQl_EverySqlExample_IsARunnableQuery()
    {
        var repo = Programs.RepositoryRoot;
        var page = File.ReadAllText(Path.Combine(repo, "docs", "EFFLUXQL.md"));
        var examples = SqlBlock().Matches(page).Select(m => m.Groups[1].Value).ToList();
        Assert.True(examples.Count >= 4, "docs/EFFLUXQL.md lost its examples");
        foreach (var sql in examples)
        {
            var engine = new QueryEngine(Analyzer.ParseAndCheck(sql));
            Assert.NotEmpty(engine.Outputs);
        }
    }

    /// <summary>The example of Processing/README.md, statement for statement.</summary>
    [Fact]
    public void ProcessingReadme_Example_RunsAsWritten()
    {
        var statements = Analyzer.ParseAndCheck(
            "SELECT room, AVG(temp) AS avg_temp FROM sensors WINDOW TUMBLING(1 min) GROUP BY room HAVING AVG(temp) > 25",
            defaultOutput: "hot_rooms");
        var engine = new QueryEngine(statements, allowedLateness: TimeSpan.FromSeconds(5));

        var rows = new List<OutputRow>();
        engine.Push(Event.FromJson("""{"_timestamp":0,"room":"lab","temp":31}"""u8, sequence: 0), rows.Add);
        engine.End(rows.Add);

        var state = engine.Snapshot();
        var sink = new ListSink();
        engine.Push(Event.FromJson("""{"_timestamp":60000,"room":"lab","temp":20}"""u8, sequence: 1), sink);
        engine.End(sink);

        var row = Assert.Single(rows);
        Assert.Equal("hot_rooms", row.Output);
        Assert.Equal([new("room", Value.From("lab")), new("avg_temp", Value.From(31.0))], row.Columns);
        Assert.NotEmpty(state);
        Assert.Empty(sink.Rows);
    }

    private sealed class ListSink : IRowSink
    {
        public List<OutputRow> Rows { get; } = [];

        public void OnRow(in RowView row) => Rows.Add(row.ToOutputRow());
    }

    [GeneratedRegex("```sql\\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex SqlBlock();
}
