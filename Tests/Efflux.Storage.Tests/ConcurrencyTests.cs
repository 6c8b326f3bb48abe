using Efflux.Storage.IO;

namespace Efflux.Storage.Tests;

public sealed class ConcurrencyTests
{
    [Fact]
    public async Task Append_ManyProducersAndReaders_OffsetsDenseAndChainVerifies()
    {
        using var dir = new TempDir();
        await using var log = await Logs.OpenAsync(dir, new PartitionLogOptions { SegmentMaxBytes = 64 * 1024 });
        using var stop = new CancellationTokenSource();
        var reader = Task.Run(async () =>
        {
            long next = 0;
            while (next < 8000)
            {
                foreach (var r in log.ReadBatch(next, 500, long.MaxValue))
                {
                    Assert.Equal(next, r.Offset);
                    Assert.Equal(next, r.Metadata.Offset);
                    next++;
                }

                if (next < 8000)
                {
                    await log.WaitForAsync(next, stop.Token);
                }
            }
        });
        var producers = Enumerable.Range(0, 16).Select(p => Task.Run(async () =>
        {
            var offsets = new List<long>();
            for (var i = 0; i < 100; i++)
            {
                var batch = Enumerable.Range(0, 5).Select(k => new AppendMessage(Logs.Payload(p + i + k, 50)) { Id = $"{p}-{i}-{k}" }).ToList();
                var results = await log.AppendBatchAsync(batch, (Durability)(i % 3));
                Assert.Equal(Enumerable.Range(0, 5).Select(k => results[0].Offset + k), results.Select(r => r.Offset));
                offsets.AddRange(results.Select(r => r.Offset));
            }

            return offsets;
        })).ToArray();
        var all = (await Task.WhenAll(producers)).SelectMany(o => o).Order().ToList();
        Assert.Equal(Enumerable.Range(0, 8000).Select(i => (long)i), all);
        await reader.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.True(log.Verify().Ok);
        Assert.Equal(8000, log.Verify().Records);
    }

    [Fact]
    public async Task DurableAppendsOfLargeBatches_AreSyncedOffTheThreadPool()
    {
        using var dir = new TempDir();
        var fs = new FaultInjectingFileSystem(PhysicalFileSystem.Instance);
        await using var log = await Logs.OpenAsync(dir, new PartitionLogOptions { FileSystem = fs });
        var (before, onPoolBefore) = (fs.FsyncCount, fs.FsyncsOnPoolThreads);

        // Batches of 200 KB, over the size after which the writer leaves the fdatasync to the flusher.
        await Task.WhenAll(Enumerable.Range(0, 4).Select(p => Task.Run(async () =>
        {
            for (var b = 0; b < 5; b++)
            {
                var batch = Enumerable.Range(0, 1000).Select(i => new AppendMessage(Logs.Payload(p + b + i, 200))).ToList();
                await log.AppendBatchAsync(batch, Durability.Durable);
            }
        })));

        Assert.Equal(20_000, log.NextOffset);
        Assert.True(fs.FsyncCount > before, "no fsync");
        Assert.Equal(onPoolBefore, fs.FsyncsOnPoolThreads);
    }

    [Fact]
    public async Task FlushAsync_SyncsLeaderAppendsOffTheThreadPool()
    {
        using var dir = new TempDir();
        var fs = new FaultInjectingFileSystem(PhysicalFileSystem.Instance);
        await using var log = await Logs.OpenAsync(dir, new PartitionLogOptions { FileSystem = fs, UnsyncedFlushInterval = TimeSpan.FromHours(1) });
        await log.AppendAsync(Logs.Text("written, not synced"), Durability.Leader);
        var (before, onPoolBefore) = (fs.FsyncCount, fs.FsyncsOnPoolThreads);

        await log.FlushAsync();

        Assert.Equal(before + 1, fs.FsyncCount);
        Assert.Equal(onPoolBefore, fs.FsyncsOnPoolThreads);
    }

    [Fact]
    public async Task Append_IdempotentRetriesRacing_EachIdStoredOnce()
    {
        using var dir = new TempDir();
        await using var log = await Logs.OpenAsync(dir);
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            var list = new List<AppendResult>();
            for (var i = 0; i < 200; i++)
            {
                list.Add(await log.AppendAsync(Logs.Text($"payload {i}", $"order-{i}")));
            }

            return list;
        })));
        Assert.Equal(200, log.NextOffset);
        foreach (var group in results.SelectMany(r => r).GroupBy(r => r.Id))
        {
            Assert.Single(group.Select(r => r.Offset).Distinct());
            Assert.Equal(1, group.Count(r => r.Status == AppendStatus.Appended));
        }
    }

    [Fact]
    public async Task Append_RepeatedIdAfterReopen_IsStillDeduplicated()
    {
        using var dir = new TempDir();
        await using (var log = await Logs.OpenAsync(dir))
        {
            await log.AppendAsync(Logs.Text("once", "payment-42"));
        }

        await using (var log = await Logs.OpenAsync(dir))
        {
            var retry = await log.AppendAsync(Logs.Text("once", "payment-42"));
            Assert.Equal(AppendStatus.Duplicate, retry.Status);
            Assert.Equal(0, retry.Offset);
            Assert.Equal(1, log.NextOffset);
        }
    }

    [Fact]
    public async Task Append_IdOutsideTheWindow_IsAppendedAgain()
    {
        using var dir = new TempDir();
        var clock = new ManualClock(DateTimeOffset.UnixEpoch.AddYears(56));
        await using var log = await Logs.OpenAsync(dir, new PartitionLogOptions { TimeProvider = clock, IdempotencyWindow = TimeSpan.FromMinutes(1) });
        await log.AppendAsync(Logs.Text("a", "x"));
        Assert.Equal(AppendStatus.Duplicate, (await log.AppendAsync(Logs.Text("a", "x"))).Status);
        clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(AppendStatus.Appended, (await log.AppendAsync(Logs.Text("a", "x"))).Status);
    }

    [Fact]
    public async Task Append_ExpectedOffsetRace_ExactlyOneWinnerPerOffset()
    {
        using var dir = new TempDir();
        await using var log = await Logs.OpenAsync(dir);
        for (var round = 0; round < 30; round++)
        {
            var expected = log.NextOffset;
            var results = await Task.WhenAll(Enumerable.Range(0, 6).Select(w => Task.Run(() => log.AppendAsync(Logs.Text($"{round}-{w}"), expectedOffset: expected))));
            Assert.Single(results, r => r.Status == AppendStatus.Appended);
            Assert.All(results.Where(r => r.Status != AppendStatus.Appended), r =>
            {
                Assert.Equal(AppendStatus.ExpectedOffsetMismatch, r.Status);
                Assert.Equal(expected + 1, r.Offset);
            });
        }

        Assert.Equal(30, log.NextOffset);
    }
}
