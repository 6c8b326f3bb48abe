using System.Text;
using System.Text.Json;
using Efflux.Processing.Parsing;
using Efflux.Processing.Engine;

namespace Efflux.Processing.Tests;

/// <summary>
/// The streaming sink sees exactly the rows the callback API sees, although operators reuse one buffer per row; a
/// sink that keeps rows copies them with <see cref="RowView.ToOutputRow"/>.
/// </summary>
public sealed class RowSinkTests
{
    public static TheoryData<string> Queries
    {
        get
        {
            var queries = new TheoryData<string>();
            foreach (var row in SnapshotTests.Queries)
            {
                queries.Add(row);
            }

            queries.Add("SELECT *, x + 1 AS next FROM e WHERE x > 3");
            queries.Add("SELECT * FROM e WINDOW DELAY(5 ms)");
            return queries;
        }
    }

    [Theory]
    [MemberData(nameof(Queries))]
    public void Sink_SeesTheRowsOfTheCallbackApi(string query)
    {
        var lines = SnapshotTests.Events(seed: query.Length * 7, count: 200);
        var viaCallback = new List<OutputRow>();
        var viaSink = new KeepingSink();
        var a = new QueryEngine(Analyzer.ParseAndCheck(query));
        var b = new QueryEngine(Analyzer.ParseAndCheck(query));
        for (var i = 0; i < lines.Count; i++)
        {
            var e = Event.FromJson(Encoding.UTF8.GetBytes(lines[i]), i);
            a.Push(e, viaCallback.Add);
            b.Push(e, viaSink);
        }

        a.End(viaCallback.Add);
        b.End(viaSink);

        Assert.NotEmpty(viaCallback);
        Assert.Equal(viaCallback.Select(Json), viaSink.Written);

        // Copies taken during the calls still hold their own values after later rows reused the buffers.
        Assert.Equal(viaCallback.Select(Json), viaSink.Kept.Select(Json));
        Assert.Equal(viaCallback.Select(r => (r.Output, r.Time)), viaSink.Kept.Select(r => (r.Output, r.Time)));
    }

    [Fact]
    public void RowView_NeedsOneValuePerName()
    {
        var ex = Assert.Throws<ArgumentException>(() => new RowView("out", ["a", "b"], [Value.From(1L)], 0));
        Assert.Contains("one value per column name", ex.Message, StringComparison.Ordinal);
    }

    private static string Json(OutputRow row)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, OutputRow.JsonOptions))
        {
            row.WriteJson(writer);
        }

        return row.Output + ":" + Encoding.UTF8.GetString(buffer.ToArray());
    }

    private sealed class KeepingSink : IRowSink
    {
        public List<string> Written { get; } = [];

        public List<OutputRow> Kept { get; } = [];

        public void OnRow(in RowView row)
        {
            using var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer, OutputRow.JsonOptions))
            {
                row.WriteJson(writer);
            }

            Written.Add(row.Output + ":" + Encoding.UTF8.GetString(buffer.ToArray()));
            Kept.Add(row.ToOutputRow());
        }
    }
}
