using System.Security.Cryptography;

namespace Efflux.Storage.Tests;

/// <summary>The storage example of README.md, statement for statement, so that the page cannot drift from the API.</summary>
public sealed class ReadmeExampleTests
{
    [Fact]
    public async Task Readme_StorageExample_RunsAsWritten()
    {
        using var dir = new TempDir();
        await using var log = await PartitionLog.OpenAsync(dir.Path, "shop", "orders", partition: 0);

        var result = await log.AppendAsync(new AppendMessage("{\"sku\":42}"u8.ToArray())
        {
            Id = "order-1001",
            DataType = "OrderPlaced",
            ContentType = "application/json",
            MessageGroup = "customer-7",
            Properties = new Dictionary<string, string> { ["region"] = "eu" },
        });

        var guarded = await log.AppendAsync(new AppendMessage("x"u8.ToArray()), expectedOffset: 1);

        var record = log.Read(result.Offset);
        var batch = log.ReadBatch(fromOffset: 0, maxCount: 500, maxBytes: 1 << 20);
        var byId = log.ReadById("order-1001");
        var fromTime = log.OffsetForTime(DateTimeOffset.UtcNow.AddHours(-1));
        var placed = log.Search(new SearchQuery { DataType = "OrderPlaced", Properties = new Dictionary<string, string> { ["region"] = "eu" } });
        var followed = new List<long>();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        try
        {
            await foreach (var r in log.FollowAsync(fromOffset: 0, stop.Token))
            {
                followed.Add(r.Offset);
            }
        }
        catch (OperationCanceledException)
        {
            // Following ends when the token is cancelled.
        }

        var report = log.Verify();
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var checkpoint = log.ExportCheckpoint(key);

        Assert.Equal(AppendStatus.Appended, guarded.Status);
        Assert.Equal("order-1001", record!.Metadata.Id);
        Assert.Equal(2, batch.Count);
        Assert.Equal(0, byId!.Offset);
        Assert.Equal(0, fromTime);
        Assert.Single(placed);
        Assert.Equal([0L, 1L], followed);
        Assert.True(report.Ok);
        Assert.Equal(1, checkpoint.Offset);
    }
}
