using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Efflux.Client;
using Efflux.Testing;

namespace Efflux.Bench;

/// <summary>
/// What authentication and rate limiting cost per call: the same small calls against a silo process without
/// authentication, with an API key file, and with the key file and produce/consume rates set too high to be reached
/// (so every call passes through a token bucket). Reported as each mode's rate over the rate without authentication.
/// </summary>
internal static class AuthBench
{
    private const int InFlight = 8;

    private static readonly (string Mode, bool Keys, string[] Settings)[] Modes =
    [
        ("off", false, []),
        ("keys", true, []),
        ("keys+limits", true, ["--Efflux:Limits:ProducePerSecond=1000000", "--Efflux:Limits:ConsumePerSecond=1000000", "--Efflux:Limits:ProduceBurst=1000000", "--Efflux:Limits:ConsumeBurst=1000000"]),
    ];

    public static async Task<int> RunAsync(BenchOptions o)
    {
        Console.WriteLine($"Auth overhead: {o.Messages:N0} calls per scenario, {InFlight} in flight, {o.Runs} runs (medians)");
        var results = await Measurement.MediansAsync(o.Runs, "calls", run => OneRunAsync(o, run));
        Console.WriteLine();
        Console.WriteLine($"{"scenario",-56} {"keys/off",9} {"keys+limits/off",16}");
        foreach (var off in results.Where(r => r.Scenario.StartsWith("off: ", StringComparison.Ordinal)))
        {
            var what = off.Scenario[5..];
            double Ratio(string mode) => results.Single(r => r.Scenario == mode + ": " + what).PerSecond / off.PerSecond;
            Console.WriteLine($"{what,-56} {Ratio("keys"),9:F2} {Ratio("keys+limits"),16:F2}");
        }

        Measurement.WriteJsonIfAsked(o.JsonFile, results);

        return 0;
    }

    private static async Task<List<Measurement>> OneRunAsync(BenchOptions o, int run)
    {
        var results = new List<Measurement>();
        // Each run starts with another mode, so that no mode always meets the machine first.
        foreach (var (mode, keyed, settings) in Modes.Skip(run % Modes.Length).Concat(Modes.Take(run % Modes.Length)))
        {
            var directory = o.FreshDirectory($"auth-{run.ToString(CultureInfo.InvariantCulture)}-{mode}");

            Directory.CreateDirectory(directory);
            string? key = null;
            var extra = settings.ToList();
            if (keyed)
            {
                var (made, entry) = ApiKeys.Create("bench", [NamespaceGrant.Parse("bench=admin")], DateTimeOffset.UtcNow);
                var file = Path.Combine(directory, "keys.json");
                KeyFile.Save(file, [entry]);
                (key, extra) = (made, [.. extra, $"--Efflux:Auth:KeyFile={file}"]);
            }

            var (httpPort, gatewayPort) = (LoopbackPort.Free(), LoopbackPort.Free());
            using (await ServiceBench.SiloPeer.StartAsync(httpPort, gatewayPort, LoopbackPort.Free(), Path.Combine(directory, "data"), [.. extra]))
            {
                var options = new EffluxClientOptions { ApiKey = key };
                options.Gateways.Add("127.0.0.1:" + gatewayPort.ToString(CultureInfo.InvariantCulture));
                await using var client = await EffluxClient.ConnectAsync(options);
                using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}") };
                http.DefaultRequestHeaders.Authorization = key is null ? null : new AuthenticationHeaderValue("Bearer", key);
                await client.CreateTopicAsync("bench", "auth");
                var topic = client.Topic("bench", "auth");
                var leader = new ProduceOptions { Acks = Acks.Leader };
                var payload = Encoding.UTF8.GetBytes("{\"n\":1,\"text\":\"" + new string('x', 80) + "\"}");
                async Task<bool> Append(int _) => (await topic.AppendAsync(new ProduceMessage { Payload = payload }, leader)).Offset >= 0;
                async Task<int> Describe(int _) => (await topic.DescribeAsync()).Partitions.Count;
                async Task<int> RestDescribe(int _)
                {
                    using var response = await http.GetAsync("/v1/topics/bench/auth");
                    return (await response.EnsureSuccessStatusCode().Content.ReadAsByteArrayAsync()).Length;
                }

                async Task<int> RestProduce(int _)
                {
                    using var body = new StringContent("{\"messages\":[{\"data\":{\"n\":1}}]}", Encoding.UTF8, "application/json");
                    using var response = await http.PostAsync("/v1/topics/bench/auth/messages?acks=leader", body);
                    return (await response.EnsureSuccessStatusCode().Content.ReadAsByteArrayAsync()).Length;
                }

                async Task<int> Fetch(int n) => (await topic.FetchAsync(0, n % 1000))?.Payload.Length ?? 0;

                foreach (var (scenario, call) in new (string, Func<int, Task>)[]
                {
                    ("SDK append 1 message, leader acks", Append),
                    ("SDK fetch 1 message by offset", Fetch),
                    ("SDK describe topic", Describe),
                    ("REST produce 1 message, leader acks", RestProduce),
                    ("REST describe topic", RestDescribe),
                })
                {
                    await Driver.WarmAsync(() => Driver.DriveAsync("warm-up", Math.Min(o.Messages, 2_000), InFlight, async n => { await call(n); return 0; }));
                    results.Add(await Driver.DriveAsync($"{mode}: {scenario}", o.Messages, InFlight, async n => { await call(n); return 0; }));
                }
            }

            Directory.Delete(directory, recursive: true);
        }

        return results;
    }
}
