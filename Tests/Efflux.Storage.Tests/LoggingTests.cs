using Efflux.Storage.IO;
using Microsoft.Extensions.Logging;

namespace Efflux.Storage.Tests;

/// <summary>What a partition log reports through <see cref="PartitionLogOptions.Logger"/>, level by level.</summary>
public sealed class LoggingTests
{
    [Fact]
    public async Task Lifecycle_IsInformation_BatchesDebug_RecordsTrace()
    {
        using var dir = new TempDir();
        var logger = new RecordingLogger();
        await using (var log = await Logs.OpenAsync(dir, new PartitionLogOptions { Logger = logger, SegmentMaxBytes = 4096, RetentionBytes = 8192 }))
        {
            await Logs.AppendManyAsync(log, 200, payloadBytes: 100);
            Assert.True(log.ApplyRetention() > 0);
        }

        Assert.Single(logger.At(LogLevel.Information), e => e.Message.Contains("opened: offsets 0 to 0", StringComparison.Ordinal));
        Assert.Contains(logger.At(LogLevel.Information), e => e.Message.Contains("segment 0 sealed", StringComparison.Ordinal));
        Assert.Contains(logger.At(LogLevel.Information), e => e.Message.Contains("retention deleted", StringComparison.Ordinal));
        Assert.Single(logger.At(LogLevel.Information), e => e.Message.Contains("closed at offset 200 (clean: True)", StringComparison.Ordinal));
        Assert.Contains(logger.At(LogLevel.Debug), e => e.Message.Contains("wrote 1 requests, 1 records from offset 199", StringComparison.Ordinal));
        Assert.Contains(logger.At(LogLevel.Debug), e => e.Message.Contains("fsync up to offset", StringComparison.Ordinal));
        Assert.Equal(200, logger.At(LogLevel.Trace).Count(e => e.Message.Contains(" id m-", StringComparison.Ordinal)));
        Assert.Empty(logger.At(LogLevel.Warning));
        Assert.Empty(logger.At(LogLevel.Error));
    }

    [Fact]
    public async Task NoTrace_WhenTraceIsOff()
    {
        using var dir = new TempDir();
        var logger = new RecordingLogger(LogLevel.Debug);
        await using (var log = await Logs.OpenAsync(dir, new PartitionLogOptions { Logger = logger }))
        {
            await Logs.AppendManyAsync(log, 10);
        }

        Assert.Empty(logger.At(LogLevel.Trace));
        Assert.NotEmpty(logger.At(LogLevel.Debug));
    }

    [Fact]
    public async Task ATornTail_IsAWarning_WhenCut()
    {
        using var dir = new TempDir();
        await using (var log = await Logs.OpenAsync(dir))
        {
            await Logs.AppendManyAsync(log, 5);
        }

        var segment = Logs.SegmentFiles(dir)[^1];
        var length = new FileInfo(segment).Length;
        await using (var file = new FileStream(segment, FileMode.Append))
        {
            file.Write([0x05, 0x01, 0x14, 0x29, 0x83, 0x0A, 0x40, 0x00]);
        }

        var logger = new RecordingLogger();
        await using (var log = await Logs.OpenAsync(dir, new PartitionLogOptions { Logger = logger }))
        {
            Assert.Equal(5, log.NextOffset);
        }

        var warning = Assert.Single(logger.At(LogLevel.Warning));
        Assert.Contains($"a torn write of 8 bytes at position {length} is cut", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFailedFsync_IsAnError_WithTheException()
    {
        using var dir = new TempDir();
        var fs = new FaultInjectingFileSystem(PhysicalFileSystem.Instance);
        var logger = new RecordingLogger();
        await using (var log = await Logs.OpenAsync(dir, new PartitionLogOptions { FileSystem = fs, Logger = logger }))
        {
            await Logs.AppendManyAsync(log, 3);
            fs.FailNextFsyncs(1);
            await Assert.ThrowsAsync<PartitionReadOnlyException>(() => log.AppendAsync(Logs.Text("lost")));
        }

        var error = Assert.Single(logger.At(LogLevel.Error));
        Assert.Contains("fsync failed; the partition is read-only", error.Message, StringComparison.Ordinal);
        Assert.IsType<IOException>(error.Exception);
        Assert.Single(logger.At(LogLevel.Information), e => e.Message.Contains("(clean: False)", StringComparison.Ordinal));
    }
}
