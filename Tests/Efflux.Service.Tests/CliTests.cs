using System.Text.Json;

namespace Efflux.Service.Tests;

/// <summary>The online commands of the efflux CLI, as a child process against an in-process silo.</summary>
public sealed class CliTests : IAsyncLifetime
{
    private readonly string _lines = Path.GetTempFileName();
    private InProcessSilo _silo = null!;

    public async Task InitializeAsync() => _silo = await InProcessSilo.StartAsync();

    public async Task DisposeAsync()
    {
        File.Delete(_lines);
        await _silo.DisposeAsync();
    }

    private (int ExitCode, string Stdout, string Stderr) Efflux(params string[] args) => Programs.Efflux([.. args, "--server", _silo.Gateway]);

    [Fact]
    public async Task TopicsProduceConsumeGroupsSearchAndVerify()
    {
        var created = Efflux("topics", "create", "cli/events", "--partitions", "2");
        Assert.True(created.ExitCode == 0, created.Stderr);
        Assert.Contains("events", Efflux("topics", "list", "cli").Stdout, StringComparison.Ordinal);

        await File.WriteAllLinesAsync(_lines, Enumerable.Range(0, 500).Select(i => $$"""{"n":{{i}}}"""));
        var produced = Efflux("produce", "cli/events", "--file", _lines, "--data-type", "Tick");
        Assert.True(produced.ExitCode == 0, produced.Stderr);
        Assert.Contains("produced 500 messages", produced.Stderr, StringComparison.Ordinal);

        var envelope = Path.GetTempFileName();
        await File.WriteAllLinesAsync(envelope, ["""{"id":"special","dataType":"Special","messageGroup":"k","properties":{"p":"v"},"data":{"s":1}}"""]);
        Assert.Equal(0, Efflux("produce", "cli/events", "--file", envelope, "--envelope").ExitCode);
        File.Delete(envelope);

        var consumed = Efflux("consume", "cli/events", "--verify");
        Assert.True(consumed.ExitCode == 0, consumed.Stderr);
        var messages = consumed.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(501, messages.Count);
        Assert.Equal(Enumerable.Range(0, 500), messages.Where(m => m.GetProperty("dataType").GetString() == "Tick").Select(m => m.GetProperty("data").GetProperty("n").GetInt32()).Order());

        var grouped = Efflux("consume", "cli/events", "--group", "readers", "-n", "40");
        Assert.Equal(40, grouped.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        var lag = Efflux("groups", "cli/events", "readers");
        Assert.True(lag.ExitCode == 0, lag.Stderr);
        Assert.True(lag.Stdout.Contains("total lag 461", StringComparison.Ordinal), lag.Stdout);

        var found = Efflux("search", "cli/events", "--data-type", "Special", "--property", "p=v");
        Assert.Equal("special", JsonDocument.Parse(found.Stdout.Trim()).RootElement.GetProperty("id").GetString());

        var verified = Efflux("verify", "cli/events");
        Assert.True(verified.ExitCode == 0, verified.Stdout + verified.Stderr);
        Assert.Contains("ok", verified.Stdout, StringComparison.Ordinal);

        var described = Efflux("topics", "describe", "cli/events");
        Assert.True(described.ExitCode == 0, described.Stderr);
        Assert.Contains("partitions 2", described.Stdout, StringComparison.Ordinal);
        Assert.Equal(0, Efflux("topics", "delete", "cli/events").ExitCode);
    }

    [Fact]
    public void Errors_GiveAMessageAndANonZeroExit()
    {
        var missing = Efflux("topics", "describe", "cli/missing");
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("does not exist", missing.Stderr, StringComparison.Ordinal);

        var badName = Efflux("topics", "create", "cli/bad name");
        Assert.Equal(1, badName.ExitCode);
        Assert.Contains("valid names", badName.Stderr, StringComparison.Ordinal);

        var notTopic = Efflux("consume", "just-a-namespace");
        Assert.Equal(1, notTopic.ExitCode);
        Assert.Contains("namespace/topic", notTopic.Stderr, StringComparison.Ordinal);

        var noSilo = Programs.Efflux("topics", "list", "cli", "--server", "127.0.0.1:" + LoopbackPort.Free());
        Assert.Equal(2, noSilo.ExitCode);
        Assert.Contains("accepts connections", noSilo.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LiveQueries_AreCreatedDescribedListedTailedAndDeleted()
    {
        Assert.Equal(0, Efflux("topics", "create", "live/ticks", "--partitions", "1").ExitCode);
        await File.WriteAllLinesAsync(_lines, Enumerable.Range(0, 30).Select(i => $$"""{"sym":"s{{i % 2}}","price":{{i}}}"""));
        Assert.Equal(0, Efflux("produce", "live/ticks", "--file", _lines).ExitCode);

        var bad = Efflux("query", "create", "live/bad", "--text", "SELECT FROM ticks");
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains("line 1, column", bad.Stderr, StringComparison.Ordinal);

        var created = Efflux("query", "create", "live/copy", "--text", "SELECT sym, price FROM ticks WHERE price >= 10 INSERT INTO expensive;");
        Assert.True(created.ExitCode == 0, created.Stderr);
        Assert.Contains("running live/copy -> live/expensive", created.Stdout, StringComparison.Ordinal);

        // tail follows the output until stopped: read its first rows, then stop it.
        var info = Programs.Dotnet(Programs.Path("Client/Efflux.Cli", "efflux"), "query", "tail", "live/copy", "--json", "--from-start", "--server", _silo.Gateway);
        info.RedirectStandardOutput = true;
        using var tail = System.Diagnostics.Process.Start(info)!;
        var rows = new List<string>();
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60)))
        {
            while (rows.Count < 20 && await tail.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                rows.Add(line);
            }
        }

        tail.Kill();
        Assert.Equal(Enumerable.Range(10, 20).Select(i => $$"""{"sym":"s{{i % 2}}","price":{{i}}}"""), rows);

        var described = await Eventually.Succeeds(async () =>
        {
            await Task.Yield();
            var now = Efflux("query", "describe", "live/copy");
            Assert.Contains("events in 30", now.Stdout, StringComparison.Ordinal);
            return now;
        });
        Assert.Contains("rows out 20", described.Stdout, StringComparison.Ordinal);
        Assert.Contains("copy", Efflux("query", "list", "live").Stdout, StringComparison.Ordinal);
        Assert.Contains("stopped live/copy", Efflux("query", "stop", "live/copy").Stdout, StringComparison.Ordinal);
        Assert.Contains("running live/copy", Efflux("query", "start", "live/copy").Stdout, StringComparison.Ordinal);
        Assert.Equal(0, Efflux("query", "delete", "live/copy").ExitCode);
        var gone = Efflux("query", "describe", "live/copy");
        Assert.Equal(1, gone.ExitCode);
        Assert.Contains("does not exist", gone.Stderr, StringComparison.Ordinal);
    }
}
