using Efflux.Storage.IO;

namespace Efflux.Storage.Tests;

/// <summary>fsync failures and a full disk: nothing is acknowledged after the fault, nothing is damaged, reopening recovers.</summary>
public sealed class FaultInjectionTests
{
    [Fact]
    public async Task Append_FsyncFails_NothingAckedAfterAndReadOnlyUntilReopened()
    {
        using var dir = new TempDir();
        var fs = new FaultInjectingFileSystem(PhysicalFileSystem.Instance);
        var options = new PartitionLogOptions { FileSystem = fs };
        var acked = new List<AppendResult>();
        await using (var log = await Logs.OpenAsync(dir, options))
        {
            acked.AddRange(await Logs.AppendManyAsync(log, 20));
            fs.FailNextFsyncs(1);
            await Assert.ThrowsAsync<PartitionReadOnlyException>(() => log.AppendAsync(Logs.Text("lost")));
            Assert.True(log.IsReadOnly);
            var ex = await Assert.ThrowsAsync<PartitionReadOnlyException>(() => log.AppendAsync(Logs.Text("refused")));
            Assert.Contains("fsync", ex.Message, StringComparison.OrdinalIgnoreCase);
            Assert.Equal(20, log.NextOffset);
        }

        fs.Heal();
        await using (var log = await Logs.OpenAsync(dir, options))
        {
            Assert.InRange(log.NextOffset, 20, 21);
            foreach (var a in acked)
            {
                Assert.Equal(a.Id, log.Read(a.Offset)!.Metadata.Id);
            }

            var next = await log.AppendAsync(Logs.Text("after"));
            Assert.Equal(log.NextOffset - 1, next.Offset);
            Assert.True(log.Verify().Ok);
        }
    }

    [Fact]
    public async Task Append_DiskFull_PartialWriteIsCutAndPartitionRecovers()
    {
        using var dir = new TempDir();
        var fs = new FaultInjectingFileSystem(PhysicalFileSystem.Instance);
        var options = new PartitionLogOptions { FileSystem = fs };
        var acked = new List<AppendResult>();
        await using (var log = await Logs.OpenAsync(dir, options))
        {
            acked.AddRange(await Logs.AppendManyAsync(log, 10));
            fs.DiskFullAfter(150);
            var batch = Enumerable.Range(0, 10).Select(i => new AppendMessage(Logs.Payload(i, 100))).ToList();
            await Assert.ThrowsAsync<PartitionReadOnlyException>(() => log.AppendBatchAsync(batch));
            await Assert.ThrowsAsync<PartitionReadOnlyException>(() => log.AppendAsync(Logs.Text("refused")));
            Assert.Equal(10, log.NextOffset);
            Assert.True(log.Verify().Ok);
        }

        fs.Heal();
        await using (var log = await Logs.OpenAsync(dir, options))
        {
            Assert.Equal(10, log.NextOffset);
            Assert.All(acked, a => Assert.Equal(a.Id, log.Read(a.Offset)!.Metadata.Id));
            await log.AppendAsync(Logs.Text("after"));
            Assert.True(log.Verify().Ok);
        }
    }

    [Fact]
    public async Task LeaderAckedWrites_AreFsyncedOnceTheUnsyncedFlushIntervalPasses_AndOnlyThen()
    {
        using var dir = new TempDir();
        var fs = new FaultInjectingFileSystem(PhysicalFileSystem.Instance);
        await using (var log = await Logs.OpenAsync(dir, new PartitionLogOptions { FileSystem = fs, UnsyncedFlushInterval = TimeSpan.FromMilliseconds(300) }))
        {
            var before = fs.FsyncCount;
            await log.AppendAsync(Logs.Text("leader"), Durability.Leader);
            await Eventually.WaitUntil(() => fs.FsyncCount > before);

            // Nothing more written: no more fsyncs.
            var synced = fs.FsyncCount;
            await Task.Delay(1000);
            Assert.Equal(synced, fs.FsyncCount);
        }

        using var other = new TempDir();
        await using (var log = await Logs.OpenAsync(other, new PartitionLogOptions { FileSystem = fs, UnsyncedFlushInterval = Timeout.InfiniteTimeSpan }))
        {
            var before = fs.FsyncCount;
            await log.AppendAsync(Logs.Text("leader"), Durability.Leader);
            await Task.Delay(1000);
            Assert.Equal(before, fs.FsyncCount);
        }
    }

    [Fact]
    public async Task AFailedFsyncOfLeaderAckedWrites_MakesThePartitionReadOnly()
    {
        using var dir = new TempDir();
        var fs = new FaultInjectingFileSystem(PhysicalFileSystem.Instance);
        await using var log = await Logs.OpenAsync(dir, new PartitionLogOptions { FileSystem = fs, UnsyncedFlushInterval = TimeSpan.FromMilliseconds(100) });
        fs.FailNextFsyncs(1);
        await log.AppendAsync(Logs.Text("written, never synced"), Durability.Leader);
        await Eventually.WaitUntil(() => log.IsReadOnly);
        await Assert.ThrowsAsync<PartitionReadOnlyException>(() => log.AppendAsync(Logs.Text("refused"), Durability.Leader));
    }

    [Fact]
    public async Task Append_ConcurrentProducers_ShareOneFsyncPerBatch()
    {
        using var dir = new TempDir();
        var fs = new FaultInjectingFileSystem(PhysicalFileSystem.Instance);
        await using var log = await Logs.OpenAsync(dir, new PartitionLogOptions { FileSystem = fs });
        var before = fs.FsyncCount;
        await Task.WhenAll(Enumerable.Range(0, 64).Select(i => Task.Run(async () =>
        {
            for (var k = 0; k < 50; k++)
            {
                await log.AppendAsync(Logs.Text($"{i}-{k}"));
            }
        })));
        Assert.Equal(3200, log.NextOffset);
        Assert.True(fs.FsyncCount - before < 3200, $"{fs.FsyncCount - before} fsyncs for 3200 appends: no group commit");
    }
}
