using System.Text.Json;
using Efflux.Client;
using Efflux.Processing.Parsing;

namespace Efflux.Service.Tests;

/// <summary>
/// Each of the seven samples runs live (<c>Efflux.Samples live NAME</c>) against a silo and prints, per output, the rows
/// the offline engine gives for the records it produced.
/// </summary>
public sealed class LiveSampleTests : IClassFixture<LiveSampleTests.Silo>
{
    private readonly Silo _silo;

    public LiveSampleTests(Silo silo) => _silo = silo;

    public sealed class Silo : IAsyncLifetime
    {
        public InProcessSilo Running { get; private set; } = null!;

        public EffluxClient Client { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Running = await InProcessSilo.StartAsync();
            Client = await Running.ConnectAsync();
        }

        public async Task DisposeAsync()
        {
            await Client.DisposeAsync();
            await Running.DisposeAsync();
        }
    }

    [Theory]
    [InlineData("word-count")]
    [InlineData("temperature-sensors")]
    [InlineData("click-stream")]
    [InlineData("network-log")]
    [InlineData("iot-devices")]
    [InlineData("log-anomaly")]
    [InlineData("stock-market")]
    public async Task ASample_RunsLive_AndPrintsTheOfflineRowsOfWhatItProduced(string name)
    {
        var run = Programs.Run(Programs.Path("samples/Efflux.Samples", "Efflux.Samples"), "live", name, "--events", "1500", "--server", _silo.Running.Gateway, "--namespace", name);
        Assert.True(run.ExitCode == 0, run.Stderr);
        var printed = run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonDocument.Parse(line).RootElement)
            .Select(r => (Output: r.GetProperty("output").GetString()!, Json: r.GetProperty("row").GetRawText()))
            .ToList();

        var text = await File.ReadAllTextAsync(Path.Combine(Programs.RepositoryRoot, "samples", name + ".sql"));
        var topic = Analyzer.ParseAndCheck(text, name)[0].From.Name;
        var records = (await _silo.Client.Topic(name, topic).ReadAsync(0).ToListAsync()).Select(m => (topic, m)).ToList();
        Assert.Equal(1500, records.Count);
        var expected = OfflineQuery.Rows(text, name, [topic], records);
        Assert.NotEmpty(expected);
        Assert.True(expected.Count == printed.Count, $"{printed.Count} rows printed, {expected.Count} expected; the sample said: {run.Stderr}");
        foreach (var output in expected.Select(r => r.Output).Distinct())
        {
            Assert.Equal(
                expected.Where(r => r.Output == output).Select(r => r.Json).Order(StringComparer.Ordinal),
                printed.Where(r => r.Output == output).Select(r => r.Json).Order(StringComparer.Ordinal));
        }
    }
}
