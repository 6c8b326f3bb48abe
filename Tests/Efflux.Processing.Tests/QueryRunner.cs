using System.Text;
using Efflux.Processing.Parsing;
using Efflux.Processing.Engine;

namespace Efflux.Processing.Tests;

/// <summary>Runs a query over JSON lines in memory and returns the rows as compact JSON strings.</summary>
internal static class QueryRunner
{
    public static List<string> Run(string query, string jsonLines) => Run(query, jsonLines.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    public static List<string> Run(string query, IEnumerable<string> lines)
    {
        var engine = new QueryEngine(Analyzer.ParseAndCheck(query));
        var rows = new List<string>();
        void Emit(OutputRow row)
        {
            using var buffer = new MemoryStream();
            using (var writer = new System.Text.Json.Utf8JsonWriter(buffer, OutputRow.JsonOptions))
            {
                row.WriteJson(writer);
            }

            rows.Add(Encoding.UTF8.GetString(buffer.ToArray()));
        }

        var sequence = 0;
        foreach (var line in lines)
        {
            engine.Push(Event.FromJson(Encoding.UTF8.GetBytes(line), sequence++), Emit);
        }

        engine.End(Emit);
        return rows;
    }
}
