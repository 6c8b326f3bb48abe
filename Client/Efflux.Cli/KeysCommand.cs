using System.CommandLine;
using System.Text.Json;

namespace Efflux.Cli;

/// <summary>
/// <c>efflux keys create|list|revoke</c>: API keys in a key file (<c>Efflux:Auth:KeyFile</c>), which the silos read
/// again when it changes. Works on the file, not over the network.
/// </summary>
internal static class KeysCommand
{
    /// <summary>The environment variable that names the key file when <c>--file</c> is not given.</summary>
    public const string FileVariable = "EFFLUX_KEY_FILE";

    private static readonly JsonSerializerOptions Indented = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static Command Create()
    {
        var command = new Command("keys", "Create, list and revoke API keys in a key file");
        command.Subcommands.Add(CreateKey());
        command.Subcommands.Add(List());
        command.Subcommands.Add(Revoke());
        return command;
    }

    private static Option<string?> FileOption() => new("--file", "-f")
    {
        Description = $"The key file (default: ${FileVariable})",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable(FileVariable),
    };

    private static Command CreateKey()
    {
        var name = new Argument<string>("name") { Description = "Who or what will hold the key" };
        var grants = new Option<string[]>("--grant", "-g") { Description = "namespace=read,write,admin (a name, prefix*, or *); repeat for more", Required = true, AllowMultipleArgumentsPerToken = false };
        var file = FileOption();
        var print = new Option<bool>("--print") { Description = "Print the entry for Efflux:Auth:Keys instead of adding it to a key file" };
        var command = new Command("create", "Make a key, add its hash to the key file and print the key (shown only this once)") { name, grants, file, print };
        command.SetAction(parse => Run("keys create", () =>
        {
            var (key, entry) = ApiKeys.Create(parse.GetValue(name)!, [.. parse.GetValue(grants)!.Select(NamespaceGrant.Parse)], DateTimeOffset.UtcNow);
            if (parse.GetValue(print))
            {
                Console.Error.WriteLine("Add this entry to Efflux:Auth:Keys:");
                Console.Error.WriteLine(JsonSerializer.Serialize(entry, Indented));
            }
            else
            {
                var path = PathOf(parse.GetValue(file));
                KeyFile.Save(path, [.. KeyFile.Load(path), entry]);
                Console.Error.WriteLine($"added key {entry.Id} ({entry.Name}: {string.Join(' ', entry.Grants)}) to {path}");
            }

            Console.WriteLine(key);
        }));
        return command;
    }

    private static Command List()
    {
        var file = FileOption();
        var command = new Command("list", "The keys of the key file: id, name, grants, created (never the keys)") { file };
        command.SetAction(parse => Run("keys list", () =>
        {
            foreach (var entry in KeyFile.Load(PathOf(parse.GetValue(file))))
            {
                Console.WriteLine($"{entry.Id}\t{entry.Name}\t{string.Join(' ', entry.Grants)}\t{entry.Created:O}");
            }
        }));
        return command;
    }

    private static Command Revoke()
    {
        var id = new Argument<string>("id") { Description = "The key's id (from keys list)" };
        var file = FileOption();
        var command = new Command("revoke", "Remove a key from the key file; silos refuse it within a second") { id, file };
        command.SetAction(parse => Run("keys revoke", () =>
        {
            var path = PathOf(parse.GetValue(file));
            var keys = KeyFile.Load(path);
            var wanted = parse.GetValue(id)!;
            if (!keys.Any(k => k.Id == wanted))
            {
                throw EffluxException.Invalid($"{path} holds no key {wanted}.");
            }

            KeyFile.Save(path, [.. keys.Where(k => k.Id != wanted)]);
            Console.Error.WriteLine($"revoked key {wanted}");
        }));
        return command;
    }

    private static string PathOf(string? file)
        => string.IsNullOrWhiteSpace(file) ? throw EffluxException.Invalid($"Name the key file with --file or ${FileVariable}.") : file;

    private static int Run(string command, Action action)
    {
        try
        {
            action();
            return 0;
        }
        catch (Exception ex) when (ex is EffluxException or IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"efflux {command}: {ex.Message}");
            return 1;
        }
    }
}
