using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Efflux.Client;
using Efflux.Processing.Parsing;

namespace Efflux.Samples;

/// <summary>
/// Runs a sample live on a cluster: creates its topic and its query in a namespace, produces the generated events into
/// the topic (each event's <c>_timestamp</c> becomes the record's Timestamp and <c>_data_type</c> its DataType), and
/// prints the rows of the query's outputs as JSON lines while they come.
/// </summary>
internal static class LiveSample
{
    public static async Task<int> RunAsync(string name, IEnumerable<string> events, string server, string ns, int rate)
    {
        var text = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "queries", name + ".sql"));
        var topic = Analyzer.ParseAndCheck(text, name)[0].From.Name;
        var options = new EffluxClientOptions();
        foreach (var gateway in server.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            options.Gateways.Add(gateway);
        }

        await using var client = await EffluxClient.ConnectAsync(options);
        await client.CreateTopicAsync(ns, topic, new TopicConfig { Partitions = 1 });
        var query = await client.Queries.CreateAsync(ns, name, text);
        Console.Error.WriteLine($"query {ns}/{name} {query.Status}: {ns}/{topic} -> {string.Join(", ", query.Outputs.Select(o => ns + "/" + o))}");

        using var stop = new CancellationTokenSource();
        var printed = 0L;
        var gate = new Lock();
        var readers = query.Outputs.Select(output => Task.Run(async () =>
        {
            try
            {
                await foreach (var row in client.Topic(ns, output).ReadAsync(0, -1, follow: true, cancellationToken: stop.Token))
                {
                    lock (gate)
                    {
                        Console.WriteLine($$"""{"output":{{JsonSerializer.Serialize(output)}},"row":{{Encoding.UTF8.GetString(row.Payload)}}}""");
                        printed++;
                    }
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                // Done.
            }
        })).ToList();

        var produced = await ProduceAsync(client.Topic(ns, topic), events, rate);
        Console.Error.WriteLine($"produced {produced} events into {ns}/{topic}");

        // The query has taken every event once its input position reaches the end; the rows it writes then follow.
        while ((await client.Queries.GetAsync(ns, name)).EventsIn < produced)
        {
            await Task.Delay(200);
        }

        var rows = (await client.Queries.GetAsync(ns, name)).RowsOut;
        while (Interlocked.Read(ref printed) < rows)
        {
            await Task.Delay(100);
        }

        await stop.CancelAsync();
        await Task.WhenAll(readers);
        Console.Error.WriteLine($"{rows} rows (the last windows close when later events arrive)");
        return 0;
    }

    /// <summary>Appends the events in batches, at most <paramref name="rate"/> per second (0: as fast as possible).</summary>
    private static async Task<long> ProduceAsync(TopicClient topic, IEnumerable<string> events, int rate)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        long count = 0;
        foreach (var batch in events.Select(ToMessage).Chunk(100))
        {
            await topic.AppendBatchAsync(batch, partition: 0);
            count += batch.Length;
            if (rate > 0 && clock.Elapsed < TimeSpan.FromSeconds((double)count / rate))
            {
                await Task.Delay(TimeSpan.FromSeconds((double)count / rate) - clock.Elapsed);
            }
        }

        return count;
    }

    /// <summary>A generated JSON line as a record: its fields as the payload, <c>_timestamp</c> and <c>_data_type</c> as metadata.</summary>
    private static ProduceMessage ToMessage(string line)
    {
        var json = JsonNode.Parse(line)!.AsObject();
        var timestamp = json["_timestamp"]!.GetValue<long>();
        var dataType = json["_data_type"]?.GetValue<string>();
        json.Remove("_timestamp");
        json.Remove("_data_type");
        return new ProduceMessage
        {
            Payload = Encoding.UTF8.GetBytes(json.ToJsonString()),
            ContentType = "application/json",
            Timestamp = DateTimeOffset.FromUnixTimeMilliseconds(timestamp),
            DataType = dataType,
        };
    }

    public static int Rate(string text) => int.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);
}
