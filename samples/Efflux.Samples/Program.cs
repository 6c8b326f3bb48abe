using System.Globalization;
using Efflux.Samples;

// generate: <scenario> [--events N] [--seed S]               writes the events as JSON lines
// live:     live <scenario> [--events N] [--seed S] [--server host:port] [--namespace NS] [--rate N]
//           produces them into a topic of a cluster, runs the scenario's query there and prints its rows
var live = args.Length > 0 && args[0] == "live";
var rest = live ? args[1..] : args;
if (rest.Length < 1 || !Generators.All.ContainsKey(rest[0]))
{
    Console.Error.WriteLine($"usage: Efflux.Samples [live] <{string.Join('|', Generators.All.Keys)}> [--events N] [--seed S] [--server host:port] [--namespace NS] [--rate N]");
    return 2;
}

var events = 10_000;
var seed = 1;
var server = "127.0.0.1:30000";
var ns = "samples";
var rate = 0;
for (var i = 1; i + 1 < rest.Length; i += 2)
{
    switch (rest[i])
    {
        case "--events":
            events = int.Parse(rest[i + 1], CultureInfo.InvariantCulture);
            break;
        case "--seed":
            seed = int.Parse(rest[i + 1], CultureInfo.InvariantCulture);
            break;
        case "--server" when live:
            server = rest[i + 1];
            break;
        case "--namespace" when live:
            ns = rest[i + 1];
            break;
        case "--rate" when live:
            rate = LiveSample.Rate(rest[i + 1]);
            break;
        default:
            Console.Error.WriteLine($"unknown option {rest[i]}");
            return 2;
    }
}

if (live)
{
    return await LiveSample.RunAsync(rest[0], Generators.All[rest[0]](events, seed), server, ns, rate);
}

using var stdout = new StreamWriter(Console.OpenStandardOutput());
foreach (var line in Generators.All[rest[0]](events, seed))
{
    stdout.WriteLine(line);
}

return 0;
