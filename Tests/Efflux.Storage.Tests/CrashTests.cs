using System.Diagnostics;
using System.Globalization;

namespace Efflux.Storage.Tests;

/// <summary>A child process appends with acknowledgements and is killed with SIGKILL at random moments.</summary>
public sealed class CrashTests
{
    [Fact]
    public async Task Append_SigkillAtRandomMoments_EveryAcknowledgedRecordSurvives()
    {
        using var dir = new TempDir();
        var host = Programs.Path("Tests/Efflux.Storage.CrashHost", "Efflux.Storage.CrashHost");
        var random = new Random(2026);
        var acked = new Dictionary<long, string>();
        const int Rounds = 50;
        var lastRecovery = string.Empty;
        for (var round = 0; round < Rounds; round++)
        {
            // 1. start the writer; it reports "ready <next offset>" after recovery
            using var child = Process.Start(Programs.Dotnet(host, dir.Path, "4", "65536"))!;
            var ready = await child.StandardOutput.ReadLineAsync();
            Assert.NotNull(ready);
            Assert.StartsWith("ready ", ready, StringComparison.Ordinal);
            Assert.True(acked.Count == long.Parse(ready[6..], CultureInfo.InvariantCulture), $"round {round}: child opened at {ready}, expected {acked.Count}; previous recovery {lastRecovery}");

            // 2. collect acknowledgements until a random moment, then SIGKILL
            var killAt = Stopwatch.StartNew();
            var deadline = TimeSpan.FromMilliseconds(random.Next(5, 120));
            var reading = Task.Run(async () =>
            {
                var lines = new List<string>();
                while (await child.StandardOutput.ReadLineAsync() is { } line)
                {
                    lines.Add(line);
                }

                return lines;
            });
            await Task.Delay(deadline);
            child.Kill();
            await child.WaitForExitAsync();
            foreach (var line in await reading)
            {
                var parts = line.Split(' ');
                if (parts.Length == 3 && parts[0] == "ack")
                {
                    acked[long.Parse(parts[1], CultureInfo.InvariantCulture)] = parts[2];
                }
            }

            // 3. reopen: every acknowledged record is there, offsets dense, chain verifies
            await using var log = await PartitionLog.OpenAsync(dir.Path, "crash", "topic", 0, new PartitionLogOptions { SegmentMaxBytes = 65536 });
            Assert.True(log.NextOffset >= acked.Count, $"round {round}: {log.NextOffset} records after reopen but {acked.Count} acknowledged");
            foreach (var (offset, id) in acked)
            {
                Assert.Equal(id, log.Read(offset)!.Metadata.Id);
            }

            // Records written but not yet acknowledged when the kill came are kept too; count them as present.
            // (Acknowledgements of concurrent producers print out of order, so fill every gap, not just the end.)
            for (var offset = 0L; offset < log.NextOffset; offset++)
            {
                if (!acked.ContainsKey(offset))
                {
                    acked[offset] = log.Read(offset)!.Metadata.Id;
                }
            }

            Assert.Equal(log.NextOffset, acked.Count);
            Assert.True(log.Verify().Ok);
            lastRecovery = $"{log.Recovery} next={log.NextOffset}";
        }

        Assert.True(acked.Count > Rounds, "the child acknowledged almost nothing: the test did not exercise the writer");
    }
}
