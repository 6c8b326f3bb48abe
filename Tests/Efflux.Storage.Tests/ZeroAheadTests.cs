using Efflux.Storage.IO;
using Microsoft.Extensions.Logging;

namespace Efflux.Storage.Tests;

/// <summary>
/// Zeros written ahead of the last record of the active segment (<see cref="PartitionLogOptions.ZeroAheadBytes"/>): there
/// while the log is open, gone from every file a roll or a close leaves, cut as a torn tail after a crash, and never a
/// reason for an append to fail.
/// </summary>
public sealed class ZeroAheadTests
{
    [Fact]
    public async Task SmallAppends_LeaveZerosAheadWhileOpen_AndAClosedLogEndsAtItsLastRecord()
    {
        using var dir = new TempDir();
        long logBytes;
        await using (var log = await Logs.OpenAsync(dir))
        {
            await Logs.AppendManyAsync(log, 20);
            logBytes = log.TotalBytes;

            // The zeros are written just after an acknowledgement.
            var path = Logs.SegmentFiles(dir).Single();
            await Eventually.WaitUntil(() => new FileInfo(path).Length >= logBytes + (new PartitionLogOptions().ZeroAheadBytes / 2));
            var file = File.ReadAllBytes(path);

            Assert.DoesNotContain(file.Skip((int)logBytes), b => b != 0);
        }

        Assert.Equal(logBytes, new FileInfo(Logs.SegmentFiles(dir).Single()).Length);
        await using (var log = await Logs.OpenAsync(dir))
        {
            Assert.Equal(0, log.Recovery.TruncatedBytes);
            Assert.Equal(20, log.NextOffset);
        }
    }

    [Fact]
    public async Task ACrashImageWithTheZeros_OpensWithEveryRecord_CutsThemAsATornTail_AndAppendsGoOn()
    {
        using var dir = new TempDir();
        using var image = new TempDir();
        List<AppendResult> acked;
        await using (var log = await Logs.OpenAsync(dir))
        {
            acked = await Logs.AppendManyAsync(log, 30);
            var bytes = log.TotalBytes;
            await Eventually.WaitUntil(() => new FileInfo(Logs.SegmentFiles(dir).Single()).Length > bytes);

            // What the disk holds if the machine stopped now (every append was durable): records, then zeros.
            Directory.CreateDirectory(image.Partition());
            foreach (var file in Directory.GetFiles(dir.Partition()))
            {
                File.Copy(file, Path.Combine(image.Partition(), Path.GetFileName(file)));
            }

            Assert.True(new FileInfo(Logs.SegmentFiles(image).Single()).Length > log.TotalBytes);
        }

        await using (var log = await Logs.OpenAsync(image))
        {
            Assert.Equal(30, log.NextOffset);
            Assert.True(log.Recovery.TruncatedBytes > 0);
            Assert.All(acked, a => Assert.Equal(a.Id, log.Read(a.Offset)!.Metadata.Id));
            await log.AppendAsync(Logs.Text("after the crash"));
            Assert.True(log.Verify().Ok);
        }

        await using (var log = await Logs.OpenAsync(image))
        {
            Assert.Equal(31, log.NextOffset);
            Assert.True(log.Verify().Ok);
        }
    }

    [Fact]
    public async Task EverySegmentARollSeals_EndsAtItsLastRecord()
    {
        using var dir = new TempDir();
        await using (var log = await Logs.OpenAsync(dir, new PartitionLogOptions { SegmentMaxBytes = 64 << 10, ZeroAheadBytes = 16 << 10 }))
        {
            while (Logs.SegmentFiles(dir).Length < 3)
            {
                await log.AppendAsync(new AppendMessage(Logs.Payload(0, 100)));
            }

            var files = Logs.SegmentFiles(dir);

            // The segment that took over gets zeros of its own ahead of its first records.
            var sealedBytes = files[..^1].Sum(f => new FileInfo(f).Length);
            await Eventually.WaitUntil(() => new FileInfo(files[^1]).Length >= log.TotalBytes - sealedBytes + (8 << 10));

            // Each sealed file is exactly its records: the scan of the next segment's base offset says so.
            foreach (var sealedFile in files[..^1])
            {
                var bytes = File.ReadAllBytes(sealedFile);
                Assert.NotEqual(0, bytes[^1]);
                Assert.True(Efflux.Format.RecordCheck.EndsWithCompleteRecord(bytes), $"{Path.GetFileName(sealedFile)} does not end with a record");
            }

            Assert.True(log.Verify().Ok);
        }
    }

    [Fact]
    public async Task ZerosThatCannotBeWritten_DiskFull_FailNoAppend_AndAreCutOff()
    {
        using var dir = new TempDir();
        var fs = new FaultInjectingFileSystem(PhysicalFileSystem.Instance);
        var logger = new RecordingLogger(LogLevel.Warning);
        var options = new PartitionLogOptions { FileSystem = fs, Logger = logger };
        await using (var log = await Logs.OpenAsync(dir, options))
        {
            // Room for the record, not for the zeros the writer tries to put after it once the record is acknowledged.
            fs.DiskFullAfter(2000);
            var first = await log.AppendAsync(Logs.Text("fits"));
            Assert.Equal(AppendStatus.Appended, first.Status);
            await Eventually.WaitUntil(() => logger.At(LogLevel.Warning).Any(e => e.Message.Contains("zeros could not be written", StringComparison.Ordinal)));
            Assert.Equal(log.TotalBytes, new FileInfo(Logs.SegmentFiles(dir).Single()).Length);

            // The partition did not turn read-only: with room again, appends go on.
            fs.Heal();
            var second = await log.AppendAsync(Logs.Text("after"));
            Assert.Equal(1, second.Offset);
        }

        await using (var log = await Logs.OpenAsync(dir, options))
        {
            Assert.Equal(2, log.NextOffset);
            Assert.Equal(0, log.Recovery.TruncatedBytes);
            Assert.True(log.Verify().Ok);
        }
    }

    [Fact]
    public async Task WithNoZeroAhead_TheFileIsExactlyTheLog_WhileOpen()
    {
        using var dir = new TempDir();
        await using var log = await Logs.OpenAsync(dir, new PartitionLogOptions { ZeroAheadBytes = 0 });
        await Logs.AppendManyAsync(log, 20);

        // The writer takes the next append only after the zeros of the ones before: once it is acknowledged, any zeros
        // the first twenty would have brought are in the file.
        await log.AppendAsync(Logs.Text("one more"));
        Assert.Equal(log.TotalBytes, new FileInfo(Logs.SegmentFiles(dir).Single()).Length);
    }
}
