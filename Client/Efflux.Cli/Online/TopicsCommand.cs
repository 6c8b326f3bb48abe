using System.CommandLine;
using Spectre.Console;

namespace Efflux.Cli.Online;

/// <summary><c>efflux topics list|create|describe|delete</c>.</summary>
internal static class TopicsCommand
{
    public static Command Create()
    {
        var command = new Command("topics", "List, create, describe and delete topics on a silo");
        command.Subcommands.Add(List());
        command.Subcommands.Add(CreateTopic());
        command.Subcommands.Add(Describe());
        command.Subcommands.Add(Delete());
        return command;
    }

    private static Command List()
    {
        var ns = new Argument<string>("namespace") { Description = "The namespace" };
        var server = Server.Option();
        var command = new Command("list", "The topics of a namespace") { ns, server };
        command.SetAction((parse, ct) => Server.RunAsync(parse.GetValue(server)!, "topics list", async (client, _) =>
        {
            foreach (var topic in await client.ListTopicsAsync(parse.GetValue(ns)!))
            {
                Console.WriteLine(topic);
            }

            return 0;
        }, ct));
        return command;
    }

    private static Command CreateTopic()
    {
        var topic = Server.TopicArgument();
        var partitions = new Option<int>("--partitions", "-p") { Description = "Partition count (default: the silo's)" };
        var retention = new Option<TimeSpan?>("--retention") { Description = "Delete sealed segments older than this (e.g. 7.00:00:00)" };
        var retentionBytes = new Option<long?>("--retention-bytes") { Description = "Keep at most this many bytes per partition" };
        var server = Server.Option();
        var command = new Command("create", "Create a topic (or change its retention)") { topic, partitions, retention, retentionBytes, server };
        command.SetAction((parse, ct) => Server.RunAsync(parse.GetValue(server)!, "topics create", async (client, _) =>
        {
            var (ns, name) = Server.Topic(parse.GetValue(topic)!);
            var created = await client.CreateTopicAsync(ns, name, new TopicConfig
            {
                Partitions = parse.GetValue(partitions),
                RetentionAge = parse.GetValue(retention),
                RetentionBytes = parse.GetValue(retentionBytes),
            });
            Console.WriteLine($"{(created ? "created" : "updated")} {ns}/{name}");
            return 0;
        }, ct));
        return command;
    }

    private static Command Describe()
    {
        var topic = Server.TopicArgument();
        var server = Server.Option();
        var command = new Command("describe", "Configuration and per-partition offsets, size, head and silo") { topic, server };
        command.SetAction((parse, ct) => Server.RunAsync(parse.GetValue(server)!, "topics describe", async (client, _) =>
        {
            var (ns, name) = Server.Topic(parse.GetValue(topic)!);
            var info = await client.DescribeTopicAsync(ns, name);
            Console.WriteLine($"{ns}/{name}  partitions {info.Config.Partitions}  retention {info.Config.RetentionAge?.ToString() ?? "none"}  max message {info.Config.MaxMessageBytes} B");
            var table = new Table().AddColumns("partition", "start", "next", "bytes", "segments", "head fingerprint", "silo");
            foreach (var p in info.Partitions)
            {
                table.AddRow(Cell(p.Partition), Cell(p.StartOffset), Cell(p.NextOffset), Cell(p.Bytes), Cell(p.Segments), Convert.ToHexString(p.HeadFingerprint)[..16].ToLowerInvariant() + "…", p.Silo + (p.ReadOnly ? " (read-only)" : ""));
            }

            AnsiConsole.Write(table);
            return 0;
        }, ct));
        return command;
    }

    private static Command Delete()
    {
        var topic = Server.TopicArgument();
        var server = Server.Option();
        var command = new Command("delete", "Delete a topic and all its data") { topic, server };
        command.SetAction((parse, ct) => Server.RunAsync(parse.GetValue(server)!, "topics delete", async (client, _) =>
        {
            var (ns, name) = Server.Topic(parse.GetValue(topic)!);
            await client.DeleteTopicAsync(ns, name);
            Console.WriteLine($"deleted {ns}/{name}");
            return 0;
        }, ct));
        return command;
    }

    public static string Cell(long value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
