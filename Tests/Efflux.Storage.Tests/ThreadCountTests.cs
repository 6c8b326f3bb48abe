using System.Diagnostics;

namespace Efflux.Storage.Tests;

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ThreadCountCollection
{
    public const string Name = "process thread count";
}

/// <summary>
/// Counts the process's threads, so it runs alone (after the parallel collections): other tests' threads would blur
/// the count.
/// </summary>
[Collection(ThreadCountCollection.Name)]
public sealed class ThreadCountTests
{
    [Fact]
    public async Task ManyOpenPartitions_SyncingAtOnce_ShareAFewThreads_NotOneEach()
    {
        using var dir = new TempDir();
        var first = await Logs.OpenAsync(dir, partition: 0);
        await first.AppendAsync(Logs.Text("starts the shared threads"));
        var before = Process.GetCurrentProcess().Threads.Count;

        var logs = new List<PartitionLog> { first };
        try
        {
            for (var p = 1; p <= 200; p++)
            {
                logs.Add(await Logs.OpenAsync(dir, partition: p));
            }

            // Large batches, so that each partition's own flusher does the fdatasync.
            await Task.WhenAll(logs.Select((log, p) => log.AppendBatchAsync(
                [.. Enumerable.Range(0, 400).Select(i => new AppendMessage(Logs.Payload(p + i, 200)))], Durability.Durable)));
            var after = Process.GetCurrentProcess().Threads.Count;

            Assert.All(logs, log => Assert.True(log.NextOffset >= 400));
            Assert.True(after - before < 50, $"{after - before} more threads with 200 more partitions open ({before} → {after})");
        }
        finally
        {
            foreach (var log in logs)
            {
                await log.DisposeAsync();
            }
        }
    }
}
