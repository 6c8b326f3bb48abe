using Efflux.Bench;

return args.FirstOrDefault() switch
{
    "storage" => await StorageBench.RunAsync(BenchOptions.Parse(args[1..])),
    "processing" => ProcessingBench.Run(BenchOptions.Parse(args[1..])),
    "micro" => Micro(args[1..]),
    "echo-silo" => await EchoSilo.RunAsync(int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture), int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture)),
    "service" => await ServiceBench.RunAsync(BenchOptions.Parse(args[1..]) is var o && args.Contains("--messages") ? o : BenchOptions.Parse(args[1..]) with { Messages = 200_000 }),
    "queries" => await QueriesBench.RunAsync(BenchOptions.Parse(args[1..]) is var q && args.Contains("--messages") ? q : BenchOptions.Parse(args[1..]) with { Messages = 500_000 }),
    "rest" => await RestBench.RunAsync(BenchOptions.Parse(args[1..]) is var r && args.Contains("--messages") ? r : BenchOptions.Parse(args[1..]) with { Messages = 100_000 }),
    "consume" => await ConsumeBench.RunAsync(BenchOptions.Parse(args[1..]) is var c && args.Contains("--messages") ? c : BenchOptions.Parse(args[1..]) with { Messages = 200_000 }),
    "e2e" => await EndToEndBench.RunAsync(BenchOptions.Parse(args[1..])),
    "auth" => await AuthBench.RunAsync(BenchOptions.Parse(args[1..]) is var a && args.Contains("--messages") ? a : BenchOptions.Parse(args[1..]) with { Messages = 20_000 }),
    "nats" => await NatsPeer.RunAsync(BenchOptions.Parse(args[1..]) is var n && args.Contains("--messages") ? n : BenchOptions.Parse(args[1..]) with { Messages = 200_000 }),
    "fill-and-wait" => await StorageBench.FillAndWaitAsync(args[1], long.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture)),
    _ => Usage(),
};

static int Micro(string[] rest)
{
    BenchmarkDotNet.Running.BenchmarkRunner.Run<OperatorBenchmarks>(args: rest);
    return 0;
}

static int Usage()
{
    Console.Error.WriteLine("usage: Efflux.Bench processing [--messages N] [--runs R] [--json FILE]");
    Console.Error.WriteLine("       Efflux.Bench micro      (BenchmarkDotNet with MemoryDiagnoser over the EffluxQL operators)");
    Console.Error.WriteLine("       Efflux.Bench service [--messages N] [--runs R] [--data-dir DIR] [--json FILE]   (beside redis-server + redis-benchmark)");
    Console.Error.WriteLine("       Efflux.Bench rest [--messages N] [--runs R] [--data-dir DIR] [--json FILE]   (REST reads against a silo process)");
    Console.Error.WriteLine("       Efflux.Bench consume [--messages N] [--runs R] [--data-dir DIR] [--json FILE]   (only the consume rows of service, alternated with XRANGE)");
    Console.Error.WriteLine("       Efflux.Bench e2e [--runs R] [--data-dir DIR] [--json FILE]   (only the end-to-end rows of service, with Redis)");
    Console.Error.WriteLine("       Efflux.Bench auth [--messages N] [--runs R] [--data-dir DIR] [--json FILE]   (per-call cost of API keys and rate limits)");
    Console.Error.WriteLine("       Efflux.Bench nats [--messages N] [--runs R] [--json FILE]   (only the NATS JetStream rows of service)");
    Console.Error.WriteLine("       Efflux.Bench queries [--messages N] [--runs R] [--data-dir DIR] [--json FILE]   (live queries; Efflux vs memory stream provider)");
    Console.Error.WriteLine("       Efflux.Bench storage [--data-dir DIR] [--keep] [--messages N] [--payload-bytes B] [--batch K] [--producers P] [--durability durable|leader|none] [--runs R] [--reopen-gb G] [--json FILE]");
    return 2;
}
