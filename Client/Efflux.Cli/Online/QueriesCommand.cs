using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Efflux.Client;
using Spectre.Console;

namespace Efflux.Cli.Online;

/// <summary><c>efflux query create|list|describe|stop|start|delete|tail</c>: live queries on a cluster.</summary>
internal static class QueriesCommand
{
    public static IEnumerable<Command> Create() => [CreateQuery(), List(), Describe(), Stop(), Start(), Delete(), Tail()];

    private static Argument<string> QueryArgument() => new("query") { Description = "namespace/name" };

    private static Command CreateQuery()
    {
        var query = QueryArgument();
        var file = new Option<FileInfo?>("--query-file", "-f") { Description = "The .sql file" };
        var text = new Option<string?>("--text", "-t") { Description = "The EffluxQL text (instead of a file)" };
        var start = new Option<string>("--start") { Description = "earliest (default), latest, an ISO-8601 time, or offsets: 0=120,orders/1=7", DefaultValueFactory = _ => "earliest" };
        var shards = new Option<int?>("--shards") { Description = "Operator grains for a query keyed by GROUP BY attributes (default: the silo's)" };
        var server = Server.Option();
        var command = new Command("create", "Create and start a live query over topics of the namespace") { query, file, text, start, shards, server };
        command.SetAction((parse, ct) => Server.RunAsync(parse.GetValue(server)!, "query create", async (client, _) =>
        {
            var (ns, name) = Server.Topic(parse.GetValue(query)!);
            var source = parse.GetValue(text) ?? (parse.GetValue(file) is { } f ? await File.ReadAllTextAsync(f.FullName, ct) : throw new EffluxException(EffluxError.InvalidRequest, "Give the query with --query-file FILE or --text TEXT."));
            var info = await client.Queries.CreateAsync(ns, name, new QueryDefinition { Text = source, Start = ParseStart(parse.GetValue(start)!), Shards = parse.GetValue(shards) });
            Console.WriteLine($"{info.Status} {ns}/{name} -> {string.Join(", ", info.Outputs.Select(o => ns + "/" + o))} ({info.Shards} operator{(info.Shards == 1 ? "" : "s")})");
            return 0;
        }, ct));
        return command;
    }

    private static Command List()
    {
        var ns = new Argument<string>("namespace") { Description = "The namespace" };
        var server = Server.Option();
        var command = new Command("list", "The live queries of a namespace") { ns, server };
        command.SetAction((parse, ct) => Server.RunAsync(parse.GetValue(server)!, "query list", async (client, _) =>
        {
            var table = new Table().AddColumns("query", "status", "events in", "rows out", "lag", "outputs");
            foreach (var q in await client.Queries.ListAsync(parse.GetValue(ns)!))
            {
                table.AddRow(q.Name, q.Status, Cell(q.EventsIn), Cell(q.RowsOut), Cell(q.Sources.Sum(s => s.Lag ?? 0)), string.Join(", ", q.Outputs));
            }

            AnsiConsole.Write(table);
            return 0;
        }, ct));
        return command;
    }

    private static Command Describe()
    {
        var query = QueryArgument();
        var server = Server.Option();
        var command = new Command("describe", "Text, status, watermark and progress per source partition") { query, server };
        command.SetAction((parse, ct) => Server.RunAsync(parse.GetValue(server)!, "query describe", async (client, _) =>
        {
            var (ns, name) = Server.Topic(parse.GetValue(query)!);
            Print(await client.Queries.GetAsync(ns, name));
            return 0;
        }, ct));
        return command;
    }

    private static Command Stop() => Change("stop", "Stop reading (state and positions are kept)", (client, ns, name) => client.Queries.StopAsync(ns, name));

    private static Command Start() => Change("start", "Start a stopped query where it stopped", (client, ns, name) => client.Queries.StartAsync(ns, name));

    private static Command Change(string verb, string description, Func<EffluxClient, string, string, Task<QueryInfo>> change)
    {
        var query = QueryArgument();
        var server = Server.Option();
        var command = new Command(verb, description) { query, server };
        command.SetAction((parse, ct) => Server.RunAsync(parse.GetValue(server)!, "query " + verb, async (client, _) =>
        {
            var (ns, name) = Server.Topic(parse.GetValue(query)!);
            var info = await change(client, ns, name);
            Console.WriteLine($"{info.Status} {ns}/{name}");
            return 0;
        }, ct));
        return command;
    }

    private static Command Delete()
    {
        var query = QueryArgument();
        var server = Server.Option();
        var command = new Command("delete", "Stop a query and remove its state (its output topics stay)") { query, server };
        command.SetAction((parse, ct) => Server.RunAsync(parse.GetValue(server)!, "query delete", async (client, _) =>
        {
            var (ns, name) = Server.Topic(parse.GetValue(query)!);
            await client.Queries.DeleteAsync(ns, name);
            Console.WriteLine($"deleted {ns}/{name}");
            return 0;
        }, ct));
        return command;
    }

    private static Command Tail()
    {
        var query = QueryArgument();
        var json = new Option<bool>("--json") { Description = "Print rows as JSON lines (default: a table)" };
        var fromStart = new Option<bool>("--from-start") { Description = "Print the rows already written first" };
        var server = Server.Option();
        var command = new Command("tail", "Follow a query's output topics and print rows as they come (Ctrl+C stops)") { query, json, fromStart, server };
        command.SetAction((parse, ct) => Server.RunAsync(parse.GetValue(server)!, "query tail", async (client, token) =>
        {
            var (ns, name) = Server.Topic(parse.GetValue(query)!);
            var info = await client.Queries.GetAsync(ns, name);
            var printer = new RowPrinter(parse.GetValue(json), info.Outputs.Count > 1);
            var readers = new List<Task>();
            foreach (var output in info.Outputs)
            {
                var topic = client.Topic(ns, output);
                var described = await topic.DescribeAsync();
                readers.AddRange(described.Partitions.Select(async p =>
                {
                    await foreach (var row in topic.ReadAsync(p.Partition, parse.GetValue(fromStart) ? -1 : p.NextOffset, follow: true, cancellationToken: token))
                    {
                        printer.Print(output, row.Payload);
                    }
                }));
            }

            await Task.WhenAll(readers);
            return 0;
        }, ct));
        return command;
    }

    /// <summary><c>earliest</c>, <c>latest</c>, an ISO-8601 time, or <c>p=offset</c> pairs separated by commas.</summary>
    private static QueryStart ParseStart(string text)
    {
        if (text is "earliest")
        {
            return QueryStart.Earliest;
        }

        if (text is "latest")
        {
            return QueryStart.Latest;
        }

        if (!text.Contains('=', StringComparison.Ordinal) && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
        {
            return new QueryStart { Time = time };
        }

        var offsets = new Dictionary<string, long>();
        foreach (var pair in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var at = pair.IndexOf('=', StringComparison.Ordinal);
            offsets[at > 0 ? pair[..at] : throw Bad()] = long.TryParse(pair[(at + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var offset) ? offset : throw Bad();
        }

        return new QueryStart { Offsets = offsets };

        EffluxException Bad() => new(EffluxError.InvalidRequest, $"--start '{text}' is not earliest, latest, an ISO-8601 time or partition=offset pairs.");
    }

    private static void Print(QueryInfo q)
    {
        Console.WriteLine($"{q.Namespace}/{q.Name}  {q.Status}  events in {q.EventsIn}  rows out {q.RowsOut}  late {q.Late}  unreadable {q.Unreadable}");
        Console.WriteLine($"watermark {(q.Watermark is { } w ? DateTimeOffset.FromUnixTimeMilliseconds(w).ToString("O", CultureInfo.InvariantCulture) : "none yet")}  operators {q.Shards}{(q.ShardKeys.Count > 0 ? " keyed by " + string.Join(", ", q.ShardKeys) : "")}  outputs {string.Join(", ", q.Outputs)}");
        if (q.LastError is { } error)
        {
            Console.WriteLine("last error: " + error);
        }

        var table = new Table().AddColumns("topic", "partition", "position", "end", "lag");
        foreach (var s in q.Sources)
        {
            table.AddRow(s.Topic, Cell(s.Partition), Cell(s.Position), s.EndOffset is { } end ? Cell(end) : "unavailable", s.Lag is { } lag ? Cell(lag) : "?");
        }

        AnsiConsole.Write(table);
        Console.WriteLine(q.Text);
    }

    private static string Cell(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>Prints rows from several readers, one at a time: JSON lines, or a table whose header is printed for each new set of columns.</summary>
    private sealed class RowPrinter(bool json, bool named)
    {
        private readonly Lock _gate = new();
        private string? _header;

        public void Print(string output, byte[] payload)
        {
            lock (_gate)
            {
                if (json)
                {
                    Console.WriteLine(named ? $$"""{"output":{{JsonSerializer.Serialize(output)}},"row":{{Encoding.UTF8.GetString(payload)}}}""" : Encoding.UTF8.GetString(payload));
                    return;
                }

                using var row = JsonDocument.Parse(payload);
                var columns = row.RootElement.EnumerateObject().ToList();
                var header = string.Join("  ", columns.Select(c => c.Name.PadRight(14)));
                if (header != _header)
                {
                    _header = header;
                    Console.WriteLine((named ? "output".PadRight(14) + "  " : "") + header);
                }

                Console.WriteLine((named ? output.PadRight(14) + "  " : "") + string.Join("  ", columns.Select(c => (c.Value.ValueKind == JsonValueKind.String ? c.Value.GetString()! : c.Value.GetRawText()).PadRight(14))));
            }
        }
    }
}
