using System.Globalization;
using Efflux.Samples;

// Writes a sample's synthetic events as JSON lines: generate <scenario> [--events N] [--seed S]
if (args.Length < 1 || !Generators.All.ContainsKey(args[0]))
{
    Console.Error.WriteLine($"usage: Efflux.Samples <{string.Join('|', Generators.All.Keys)}> [--events N] [--seed S]");
    return 2;
}

var events = 10_000;
var seed = 1;
for (var i = 1; i + 1 < args.Length; i += 2)
{
    switch (args[i])
    {
        case "--events":
            events = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
            break;
        case "--seed":
            seed = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
            break;
        default:
            Console.Error.WriteLine($"unknown option {args[i]}");
            return 2;
    }
}

using var stdout = new StreamWriter(Console.OpenStandardOutput());
foreach (var line in Generators.All[args[0]](events, seed))
{
    stdout.WriteLine(line);
}

return 0;
