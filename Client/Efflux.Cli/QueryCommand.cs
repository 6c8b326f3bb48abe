using System.CommandLine;
using Efflux.Processing.Parsing;

namespace Efflux.Cli;

/// <summary><c>efflux query</c>: EffluxQL offline tools.</summary>
internal static class QueryCommand
{
    public static Command Create()
    {
        var query = new Command("query", "EffluxQL queries");
        query.Subcommands.Add(Check());
        return query;
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
        string text;
        try
        {
            text = File.ReadAllText(file.FullName);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"efflux query check: cannot read '{file.FullName}': {ex.Message}");
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
}
