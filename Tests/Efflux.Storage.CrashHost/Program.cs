using System.Globalization;
using System.Text;
using Efflux.Storage;

// A child process for crash tests: appends until killed, printing "ack <offset> <id>" for every acknowledged record.
// The parent kills it with SIGKILL at a random moment and checks that every acknowledged record survived.
if (args.Length < 3)
{
    Console.Error.WriteLine("usage: CrashHost <data-dir> <producers> <segment-bytes> [durability]");
    return 2;
}

var durability = args.Length > 3 ? Enum.Parse<Durability>(args[3], ignoreCase: true) : Durability.Durable;
var options = new PartitionLogOptions { SegmentMaxBytes = long.Parse(args[2], CultureInfo.InvariantCulture) };
await using var log = await PartitionLog.OpenAsync(args[0], "crash", "topic", 0, options);
var stdout = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false)) { AutoFlush = false };
var gate = new Lock();
Console.Error.WriteLine($"opened next={log.NextOffset}");
lock (gate)
{
    stdout.WriteLine($"ready {log.NextOffset}");
    stdout.Flush();
}

var producers = int.Parse(args[1], CultureInfo.InvariantCulture);
var tasks = Enumerable.Range(0, producers).Select(p => Task.Run(async () =>
{
    var random = new Random(p * 7919 + Environment.ProcessId);
    for (long n = 0; ; n++)
    {
        var batch = Enumerable.Range(0, random.Next(1, 20))
            .Select(i => new AppendMessage(Encoding.UTF8.GetBytes(new string('x', random.Next(0, 400))))
            {
                Id = $"p{p}-{Environment.ProcessId}-{n}-{i}",
                DataType = "crash.test",
            })
            .ToList();
        var results = await log.AppendBatchAsync(batch, durability);
        lock (gate)
        {
            foreach (var r in results)
            {
                stdout.WriteLine($"ack {r.Offset} {r.Id}");
            }

            stdout.Flush();
        }
    }
})).ToArray();
await Task.WhenAll(tasks);
return 0;
