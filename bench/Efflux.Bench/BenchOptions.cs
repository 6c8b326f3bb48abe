using System.Globalization;
using Efflux.Storage;

namespace Efflux.Bench;

/// <summary>Command-line settings of a benchmark run.</summary>
internal sealed record BenchOptions(string DataDir, bool Keep, int Messages, int PayloadBytes, int Batch, int Producers, Durability Durability, int Runs, double ReopenGigabytes, string? JsonFile, int Distinct)
{
    /// <summary>A directory under <see cref="DataDir"/> for one run, emptied of what an earlier run left there.</summary>
    public string FreshDirectory(string name)
    {
        var directory = Path.Combine(DataDir, name);
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }

        return directory;
    }

    public static BenchOptions Parse(string[] args)
    {
        var o = new BenchOptions(Path.Combine(Path.GetTempPath(), "efflux-bench"), false, 2_000_000, 100, 1000, 1, Durability.Durable, 3, 1.0, null, 65_536);
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            o = args[i] switch
            {
                "--data-dir" => o with { DataDir = Next() },
                "--keep" => o with { Keep = true },
                "--messages" => o with { Messages = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--payload-bytes" => o with { PayloadBytes = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--batch" => o with { Batch = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--producers" => o with { Producers = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--durability" => o with { Durability = Enum.Parse<Durability>(Next(), ignoreCase: true) },
                "--runs" => o with { Runs = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--reopen-gb" => o with { ReopenGigabytes = double.Parse(Next(), CultureInfo.InvariantCulture) },
                "--json" => o with { JsonFile = Next() },
                "--distinct" => o with { Distinct = int.Parse(Next(), CultureInfo.InvariantCulture) },
                _ => throw new ArgumentException($"unknown option {args[i]}"),
            };
        }

        return o;
    }
}
