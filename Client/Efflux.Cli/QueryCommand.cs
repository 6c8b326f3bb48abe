using System.CommandLine;
using System.Text.Json;
using Efflux.Processing.Parsing;
using Efflux.Processing.Engine;

namespace Efflux.Cli;

/// <summary><c>efflux query</c>: EffluxQL offline tools, and the live queries of a cluster.</summary>
internal static class QueryCommand
{
    public static Command Create()
    {
        var query = new Command("query", "EffluxQL queries: offline (check, run) and live on a cluster");
        query.Subcommands.Add(Check());
        query.Subcommands.Add(RunCommand());
        foreach (var live in Online.QueriesCommand.Create())
        {
            query.Subcommands.Add(live);
        }

        return query;
    }

    private static Command RunCommand()
    {
        var file = new Option<FileInfo>("--query") { Description = "The .sql file to run", Required = true };
        var input = new Option<FileInfo>("--input") { Description = "Events, one JSON object per line, each with _timestamp", Required = true };
        var lateness = new Option<long>("--allowed-lateness") { Description = "Milliseconds an event may trail the newest event time and still count (default 0)", DefaultValueFactory = _ => 0 };
        var command = new Command("run", "Run a query over a JSON-lines file and print the rows as JSON lines") { file, input, lateness };
        command.SetAction(parse => Run(parse.GetValue(file)!, parse.GetValue(input)!, parse.GetValue(lateness)));
        return command;
    }

    private static int Run(FileInfo file, FileInfo input, long latenessMs)
    {
        if (Load(file) is not { } text)
        {
            return 2;
        }

        if (latenessMs < 0)
        {
            Console.Error.WriteLine("efflux query run: --allowed-lateness must be 0 or more milliseconds.");
            return 2;
        }

        QueryEngine engine;
        try
        {
            engine = new QueryEngine(Analyzer.ParseAndCheck(text, Path.GetFileNameWithoutExtension(file.Name)), TimeSpan.FromMilliseconds(latenessMs));
        }
        catch (QueryException ex)
        {
            Console.Error.WriteLine($"{file.Name}:{ex.Position.Line}:{ex.Position.Column}: {ex.Problem}");
            return 1;
        }

        using var stdout = Console.OpenStandardOutput();
        using var writer = new Utf8JsonWriter(stdout, OutputRow.JsonOptions);
        var sink = new JsonLinesSink(stdout, writer, wrap: engine.Outputs.Count > 1);
        long line = 0;
        try
        {
            foreach (var eventLine in File.ReadLines(input.FullName))
            {
                line++;
                if (string.IsNullOrWhiteSpace(eventLine))
                {
                    continue;
                }

                engine.Push(Event.FromJson(System.Text.Encoding.UTF8.GetBytes(eventLine), line - 1), sink);
            }
        }
        catch (FormatException ex)
        {
            Console.Error.WriteLine($"{input.Name}:{line}: {ex.Message}");
            return 1;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"efflux query run: cannot read '{input.FullName}': {ex.Message}");
            return 2;
        }

        engine.End(sink);
        if (engine.Late > 0)
        {
            Console.Error.WriteLine($"late: {engine.Late} event(s) below the watermark were dropped");
        }

        return 0;
    }

    private static string? Load(FileInfo file)
    {
        try
        {
            return File.ReadAllText(file.FullName);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"efflux query: cannot read '{file.FullName}': {ex.Message}");
            return null;
        }
    }

    private static Command Check()
    {
        var file = new Option<FileInfo>("--query") { Description = "The .sql file to check", Required = true };
        var command = new Command("check", "Parse and check a query without running it (exit 0 when valid, 1 otherwise)") { file };
        command.SetAction(parse => Run(parse.GetValue(file)!));
        return command;
    }

    private static int Run(FileInfo file)
    {
        if (Load(file) is not { } text)
        {
            return 2;
        }

        try
        {
            var statements = Analyzer.ParseAndCheck(text, Path.GetFileNameWithoutExtension(file.Name));
            Console.WriteLine($"ok: {statements.Count} statement(s); outputs: {string.Join(", ", statements.Select(s => s.Output).Distinct())}");
            return 0;
        }
        catch (QueryException ex)
        {
            Console.Error.WriteLine($"{file.Name}:{ex.Position.Line}:{ex.Position.Column}: {ex.Problem}");
            return 1;
        }
    }

    /// <summary>Writes each row as one JSON line, wrapped with its output name when the query has several outputs.</summary>
    private sealed class JsonLinesSink(Stream stdout, Utf8JsonWriter writer, bool wrap) : IRowSink
    {
        public void OnRow(in RowView row)
        {
            if (wrap)
            {
                writer.WriteStartObject();
                writer.WriteString("output", row.Output);
                writer.WritePropertyName("row");
                row.WriteJson(writer);
                writer.WriteEndObject();
            }
            else
            {
                row.WriteJson(writer);
            }

            writer.Flush();
            stdout.WriteByte((byte)'\n');
            writer.Reset();
        }
    }
}
