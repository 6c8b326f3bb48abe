using System.CommandLine;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Efflux.Client;
using Spectre.Console;

namespace Efflux.Cli.Online;

/// <summary><c>efflux produce</c>: JSON lines from stdin or a file, through a buffered producer, with progress and a final rate.</summary>
internal static class ProduceCommand
{
    public static Command Create()
    {
        var topic = Server.TopicArgument();
        var file = new Option<FileInfo?>("--file", "-f") { Description = "JSON lines to send (default: stdin)" };
        var envelope = new Option<bool>("--envelope") { Description = "Each line is a message object {id, data|dataBase64, dataType, messageGroup, properties, timestamp}; otherwise each line is the JSON payload" };
        var dataType = new Option<string?>("--data-type") { Description = "DataType of every message (payload lines)" };
        var group = new Option<string?>("--group") { Description = "MessageGroup of every message (payload lines)" };
        var acks = new Option<Acks>("--acks") { Description = "Durable (default), Leader or None", DefaultValueFactory = _ => Acks.Durable };
        var server = Server.Option();
        var command = new Command("produce", "Append JSON lines to a topic") { topic, file, envelope, dataType, group, acks, server };
        command.SetAction((parse, ct) => Server.RunAsync(parse.GetValue(server)!, "produce", async (client, token) =>
        {
            var (ns, name) = Server.Topic(parse.GetValue(topic)!);
            using var input = parse.GetValue(file) is { } f ? new StreamReader(f.FullName) : new StreamReader(Console.OpenStandardInput());
            var total = parse.GetValue(file) is { } sized ? sized.Length : 0;
            var options = new Options(parse.GetValue(envelope), parse.GetValue(dataType), parse.GetValue(group), parse.GetValue(acks));
            var clock = Stopwatch.StartNew();
            long count;
            if (total > 0 && !Console.IsErrorRedirected)
            {
                count = 0;
                await AnsiConsole.Progress().StartAsync(async progress =>
                {
                    var task = progress.AddTask($"{ns}/{name}", maxValue: total);
                    count = await SendAsync(client.Topic(ns, name), input, options, read => task.Value = read, token);
                });
            }
            else
            {
                count = await SendAsync(client.Topic(ns, name), input, options, _ => { }, token);
            }

            var seconds = Math.Max(clock.Elapsed.TotalSeconds, 1e-6);
            await Console.Error.WriteLineAsync(FormattableString.Invariant($"produced {count} messages to {ns}/{name} in {seconds:0.00} s ({count / seconds:0} msg/s)"));
            return 0;
        }, ct));
        return command;
    }

    private sealed record Options(bool Envelope, string? DataType, string? Group, Acks Acks);

    private static async Task<long> SendAsync(TopicClient topic, StreamReader input, Options options, Action<long> progress, CancellationToken cancellationToken)
    {
        var producer = topic.CreateProducer(new ProducerOptions { Acks = options.Acks });
        var pending = new List<Task<ProduceResult>>();
        long count = 0;
        long read = 0;
        try
        {
            for (var line = await input.ReadLineAsync(cancellationToken); line is not null; line = await input.ReadLineAsync(cancellationToken))
            {
                read += Encoding.UTF8.GetByteCount(line) + 1;
                if (string.IsNullOrWhiteSpace(line))
                {
                    continue;
                }

                pending.Add(producer.SendAsync(ToMessage(line, count, options), cancellationToken));
                count++;
                if (pending.Count >= 10_000)
                {
                    await Task.WhenAll(pending);
                    pending.Clear();
                    progress(read);
                }
            }
        }
        finally
        {
            await producer.DisposeAsync();
        }

        await Task.WhenAll(pending);
        progress(read);
        return count;
    }

    private static ProduceMessage ToMessage(string line, long index, Options options)
    {
        using var json = JsonDocument.Parse(line);
        if (options.Envelope)
        {
            return ProduceMessageJson.Parse(json.RootElement, (int)Math.Min(index, int.MaxValue));
        }

        return new ProduceMessage
        {
            Payload = Encoding.UTF8.GetBytes(json.RootElement.GetRawText()),
            ContentType = "application/json",
            DataType = options.DataType,
            MessageGroup = options.Group,
        };
    }
}
