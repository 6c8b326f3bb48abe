using System.CommandLine;
using System.Text.Json;
using Efflux.Client;

namespace Efflux.Cli.Online;

/// <summary><c>efflux consume</c> and <c>efflux tail</c>: messages as JSON lines on stdout.</summary>
internal static class ConsumeCommand
{
    public static Command Consume()
    {
        var topic = Server.TopicArgument();
        var partition = new Option<int?>("--partition", "-p") { Description = "One partition (default: all)" };
        var from = new Option<long>("--from") { Description = "First offset (default: the oldest stored)", DefaultValueFactory = _ => -1 };
        var max = new Option<long?>("--max", "-n") { Description = "Stop after this many messages" };
        var follow = new Option<bool>("--follow") { Description = "Keep waiting for new messages (Ctrl+C stops)" };
        var group = new Option<string?>("--group", "-g") { Description = "Read from this consumer group's committed offsets and commit what was printed" };
        var verify = new Option<bool>("--verify") { Description = "Check every record's fingerprint and chain link on this side" };
        var server = Server.Option();
        var command = new Command("consume", "Print a topic's messages as JSON lines") { topic, partition, from, max, follow, group, verify, server };
        command.SetAction((parse, ct) => Server.RunAsync(parse.GetValue(server)!, "consume", (client, token) =>
            RunAsync(client, parse.GetValue(topic)!, parse.GetValue(partition), parse.GetValue(from), parse.GetValue(max), parse.GetValue(follow), parse.GetValue(group), parse.GetValue(verify), tail: false, token), ct));
        return command;
    }

    public static Command Tail()
    {
        var topic = Server.TopicArgument();
        var partition = new Option<int?>("--partition", "-p") { Description = "One partition (default: all)" };
        var server = Server.Option();
        var command = new Command("tail", "Print new messages of a topic as they arrive (Ctrl+C stops)") { topic, partition, server };
        command.SetAction((parse, ct) => Server.RunAsync(parse.GetValue(server)!, "tail", (client, token) =>
            RunAsync(client, parse.GetValue(topic)!, parse.GetValue(partition), -1, null, follow: true, group: null, verify: false, tail: true, token), ct));
        return command;
    }

    private static async Task<int> RunAsync(EffluxClient client, string topicText, int? partition, long from, long? max, bool follow, string? group, bool verify, bool tail, CancellationToken cancellationToken)
    {
        var (ns, name) = Server.Topic(topicText);
        var topic = client.Topic(ns, name);
        var info = await topic.DescribeAsync();
        var partitions = partition is { } p ? [p] : Enumerable.Range(0, info.Config.Partitions).ToArray();
        var consumerGroup = group is null ? null : topic.Group(group);
        var committed = consumerGroup is null ? [] : (await consumerGroup.DescribeAsync()).Partitions.Where(x => x.Committed is not null).ToDictionary(x => x.Partition, x => x.Committed!.Value);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var stdout = Console.OpenStandardOutput();
        var gate = new SemaphoreSlim(1, 1);
        long printed = 0;
        var readers = partitions.Select(async part =>
        {
            var start = tail ? info.Partitions[part].NextOffset : committed.TryGetValue(part, out var c) ? c : from;
            await foreach (var message in topic.ReadAsync(part, start, follow, verify, stop.Token))
            {
                await gate.WaitAsync(stop.Token);
                try
                {
                    if (max is { } limit && printed >= limit)
                    {
                        await stop.CancelAsync();
                        return;
                    }

                    await using (var w = new Utf8JsonWriter(stdout))
                    {
                        MessageJson.Write(w, message);
                    }

                    stdout.WriteByte((byte)'\n');
                    await stdout.FlushAsync(stop.Token);
                    printed++;
                    if (consumerGroup is not null)
                    {
                        await consumerGroup.CommitAsync(message);
                    }
                }
                finally
                {
                    gate.Release();
                }
            }
        });
        try
        {
            await Task.WhenAll(readers);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            // --max reached.
        }

        return 0;
    }
}
