namespace Efflux.Storage.Tests;

public sealed class NameTests
{
    [Theory]
    [InlineData("")]
    [InlineData(".")]
    [InlineData("..")]
    [InlineData("a/b")]
    [InlineData("..\\x")]
    [InlineData("a b")]
    [InlineData("é")]
    [InlineData("a\u0000b")]
    public async Task OpenAsync_InvalidName_ThrowsAndWritesNothing(string name)
    {
        using var dir = new TempDir();
        await Assert.ThrowsAsync<InvalidNameException>(() => PartitionLog.OpenAsync(dir.Path, name, "topic", 0));
        await Assert.ThrowsAsync<InvalidNameException>(() => PartitionLog.OpenAsync(dir.Path, "ns", name, 0));
        Assert.Empty(Directory.EnumerateFileSystemEntries(dir.Path));
    }

    [Fact]
    public void Validate_LengthLimits()
    {
        Assert.True(StorageNames.IsValid(new string('a', 128)));
        Assert.False(StorageNames.IsValid(new string('a', 129)));
        Assert.True(StorageNames.IsValid("Orders_v2.eu-west"));
        Assert.True(StorageNames.IsValid("..."));
    }

    [Fact]
    public async Task OpenAsync_NegativePartition_Throws()
    {
        using var dir = new TempDir();
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => PartitionLog.OpenAsync(dir.Path, "ns", "t", -1));
    }

    [Fact]
    public async Task Append_InvalidMetadata_IsRejectedBeforeAnythingIsWritten()
    {
        using var dir = new TempDir();
        await using var log = await Logs.OpenAsync(dir, new PartitionLogOptions { MaxPayloadBytes = 10 });
        await Assert.ThrowsAsync<ArgumentException>(() => log.AppendAsync(new AppendMessage(new byte[11])));
        await Assert.ThrowsAsync<ArgumentException>(() => log.AppendAsync(new AppendMessage(new byte[1]) { Id = string.Empty }));
        await Assert.ThrowsAsync<ArgumentException>(() => log.AppendAsync(new AppendMessage(new byte[1]) { DataType = "\ud800" }));
        await Assert.ThrowsAsync<ArgumentException>(() => log.AppendBatchAsync([new AppendMessage(new byte[1]), new AppendMessage(new byte[12])]));
        Assert.Equal(0, log.NextOffset);
    }

    [Fact]
    public async Task AppendBatch_Refused_FailsItsTask_NotTheCall()
    {
        // Callers start appends and await them later (a producer's batch): a refusal must arrive in the task.
        using var dir = new TempDir();
        var log = await Logs.OpenAsync(dir, new PartitionLogOptions { MaxPayloadBytes = 10 });
        var invalid = log.AppendBatchAsync([new AppendMessage(new byte[11])]);
        await log.DisposeAsync();
        var closed = log.AppendBatchAsync([new AppendMessage(new byte[1])]);
        await Assert.ThrowsAsync<ArgumentException>(() => invalid);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => closed);
    }
}
