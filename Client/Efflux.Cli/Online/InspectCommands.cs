using Efflux.Client;
using System.CommandLine;
using System.Text.Json;
using Spectre.Console;

namespace Efflux.Cli.Online;

/// <summary><c>efflux groups</c>, <c>efflux search</c> and <c>efflux verify --server</c>.</summary>
internal static class InspectCommands
{
    public static Command Groups()
    {
        var topic = Server.TopicArgument();
        var group = new Argument<string>("group") { Description = "The consumer group" };
        var server = Server.Option();
        var command = new Command("groups", "A consumer group's committed offsets and lag per partition") { topic, group, server };
        command.SetAction((parse, ct) => Server.RunAsync(parse.GetValue(server)!, "groups", async (client, _) =>
        {
            var (ns, name) = Server.Topic(parse.GetValue(topic)!);
            var info = await client.Topic(ns, name).Group(parse.GetValue(group)!).DescribeAsync();
            var table = new Table().AddColumns("partition", "committed", "end", "lag");
            foreach (var p in info.Partitions)
            {
                table.AddRow(TopicsCommand.Cell(p.Partition), p.Committed is { } c ? TopicsCommand.Cell(c) : "-", TopicsCommand.Cell(p.End), TopicsCommand.Cell(p.Lag));
            }

            AnsiConsole.Write(table);
            Console.WriteLine($"total lag {info.Lag}");
            return 0;
        }, ct));
        return command;
    }

    public static Command Search()
    {
        var topic = Server.TopicArgument();
        var dataType = new Option<string?>("--data-type") { Description = "Exact DataType" };
        var group = new Option<string?>("--group") { Description = "Exact MessageGroup" };
        var contentType = new Option<string?>("--content-type") { Description = "Exact ContentType" };
        var property = new Option<string[]>("--property") { Description = "name=value (repeatable; all must match)" };
        var from = new Option<DateTimeOffset?>("--from") { Description = "Event time at or after" };
        var to = new Option<DateTimeOffset?>("--to") { Description = "Event time before" };
        var max = new Option<int>("--max") { Description = "At most this many per partition", DefaultValueFactory = _ => 100 };
        var server = Server.Option();
        var command = new Command("search", "Messages by metadata, from the index, as JSON lines") { topic, dataType, group, contentType, property, from, to, max, server };
        command.SetAction((parse, ct) => Server.RunAsync(parse.GetValue(server)!, "search", async (client, _) =>
        {
            var (ns, name) = Server.Topic(parse.GetValue(topic)!);
            var properties = (parse.GetValue(property) ?? []).Select(p => p.Split('=', 2)).ToDictionary(
                kv => kv[0],
                kv => kv.Length == 2 ? kv[1] : throw new EffluxException(EffluxError.InvalidRequest, $"--property '{kv[0]}' is not name=value."),
                StringComparer.Ordinal);
            var found = await client.Topic(ns, name).SearchAsync(new SearchRequest
            {
                DataType = parse.GetValue(dataType),
                MessageGroup = parse.GetValue(group),
                ContentType = parse.GetValue(contentType),
                Properties = properties.Count > 0 ? properties : null,
                From = parse.GetValue(from),
                To = parse.GetValue(to),
                Max = parse.GetValue(max),
            });
            using var stdout = Console.OpenStandardOutput();
            foreach (var message in found)
            {
                await using (var w = new Utf8JsonWriter(stdout))
                {
                    MessageJson.Write(w, message);
                }

                stdout.WriteByte((byte)'\n');
            }

            return 0;
        }, ct));
        return command;
    }

    /// <summary>Online verification: the silo re-hashes each partition, and this side re-checks every record it reads.</summary>
    public static async Task<int> VerifyOnlineAsync(string server, string topicText, bool json, CancellationToken cancellationToken)
        => await Server.RunAsync(server, "verify", async (client, token) =>
        {
            var (ns, name) = Server.Topic(topicText);
            var topic = client.Topic(ns, name);
            var info = await topic.DescribeAsync();
            var rows = new List<(int Partition, VerifyResult Silo, long Read, string? Client)>();
            foreach (var p in info.Partitions)
            {
                var silo = await topic.VerifyAsync(p.Partition);
                long read = 0;
                string? problem = null;
                try
                {
                    await foreach (var _ in topic.ReadAsync(p.Partition, verifyChain: true, cancellationToken: token))
                    {
                        read++;
                    }
                }
                catch (EffluxException ex) when (ex.Error == EffluxError.Corrupt)
                {
                    problem = ex.Message;
                }

                rows.Add((p.Partition, silo, read, problem));
            }

            if (json)
            {
                Console.WriteLine(JsonSerializer.Serialize(rows.Select(r => new
                {
                    partition = r.Partition,
                    ok = r.Silo.Ok && r.Client is null,
                    records = r.Silo.Records,
                    firstBadOffset = r.Silo.FirstBadOffset,
                    reason = r.Silo.Reason ?? r.Client,
                    checkedHere = r.Read,
                })));
            }
            else
            {
                var table = new Table().AddColumns("partition", "records", "silo", "checked here", "detail");
                foreach (var r in rows)
                {
                    table.AddRow(TopicsCommand.Cell(r.Partition), TopicsCommand.Cell(r.Silo.Records), r.Silo.Ok ? "ok" : "FAILED", r.Client is null ? $"ok ({r.Read})" : "FAILED", Markup.Escape(r.Silo.Reason ?? r.Client ?? ""));
                }

                AnsiConsole.Write(table);
            }

            return rows.All(r => r.Silo.Ok && r.Client is null) ? 0 : 1;
        }, cancellationToken);
}
