using System.Text;

namespace Efflux.Storage.Tests;

public sealed class ReadTests
{
    [Fact]
    public async Task ReadBatch_MaxCountAndMaxBytes_AreHonouredAcrossSegments()
    {
        using var dir = new TempDir();
        await using var log = await Logs.OpenAsync(dir, new PartitionLogOptions { SegmentMaxBytes = 4096 });
        await Logs.AppendManyAsync(log, 100, 200);
        Assert.True(log.SegmentCount > 5);

        var all = log.ReadBatch(0, 1000, long.MaxValue);
        Assert.Equal(Enumerable.Range(0, 100).Select(i => (long)i), all.Select(r => r.Offset));
        Assert.Equal(10, log.ReadBatch(37, 10, long.MaxValue).Count);
        var limited = log.ReadBatch(0, 1000, 2000);
        Assert.InRange(limited.Sum(r => r.Raw.Length), 1, 2000);
        Assert.Single(log.ReadBatch(5, 1000, 1));
        Assert.Empty(log.ReadBatch(100, 10, long.MaxValue));
        Assert.Null(log.Read(100));
    }

    [Theory]
    [InlineData(0, 1000, long.MaxValue)]
    [InlineData(0, 1000, 2000)]
    [InlineData(13, 40, long.MaxValue)]
    [InlineData(17, 1000, 1)]
    [InlineData(99, 10, long.MaxValue)]
    [InlineData(100, 10, long.MaxValue)]
    public async Task ReadRaw_IsTheRecordsOfReadBatchBackToBack(long from, int max, long maxBytes)
    {
        using var dir = new TempDir();
        await using var log = await Logs.OpenAsync(dir, new PartitionLogOptions { SegmentMaxBytes = 4096 });
        await Logs.AppendManyAsync(log, 100, 200);

        var records = log.ReadBatch(from, max, maxBytes);
        var raw = log.ReadRaw(from, max, maxBytes);
        Assert.Equal(records.Count, raw.Count);
        Assert.Equal(from, raw.FirstOffset);
        Assert.Equal(from + records.Count, raw.NextOffset);
        Assert.Equal(records.SelectMany(r => r.Raw.ToArray()), Logs.Joined(raw));
    }

    [Fact]
    public async Task ReadRaw_ComesInPiecesOfWholeRecords_BelowTheLargeObjectThreshold()
    {
        using var dir = new TempDir();
        await using var log = await Logs.OpenAsync(dir);
        await Logs.AppendManyAsync(log, 600, 300);
        await log.AppendAsync(new AppendMessage(Logs.Payload(1, 100_000)));
        await Logs.AppendManyAsync(log, 10, 300, "after");

        var raw = log.ReadRaw(0, 1000, long.MaxValue);
        Assert.Equal(611, raw.Count);
        Assert.True(raw.Pieces.Count >= 4, $"{raw.Pieces.Count} pieces");
        var records = log.ReadBatch(0, 1000, long.MaxValue);
        var next = 0;
        foreach (var piece in raw.Pieces)
        {
            // Every piece is whole records: the records that start in it end exactly at its end.
            var inPiece = 0;
            while (inPiece < piece.Length)
            {
                Assert.Equal(records[next].Raw.ToArray(), piece.Slice(inPiece, records[next].Raw.Length).ToArray());
                inPiece += records[next++].Raw.Length;
            }

            Assert.Equal(piece.Length, inPiece);
            Assert.True(piece.Length < 85_000 || records[next - 1].Raw.Length > 64 * 1024, $"a piece of {piece.Length} bytes");
        }

        Assert.Equal(611, next);
        Assert.Contains(raw.Pieces, p => p.Length > 100_000);
    }

    [Fact]
    public async Task ReadRaw_DamagedFramingInTheMiddle_ThrowsCorruptLogNamingTheRecord()
    {
        using var dir = new TempDir();
        await using var log = await Logs.OpenAsync(dir);
        await Logs.AppendManyAsync(log, 20, 100);
        var records = log.ReadBatch(0, 100, long.MaxValue);
        var position = records.Take(7).Sum(r => r.Raw.Length);
        await using (var file = new FileStream(Logs.SegmentFiles(dir)[0], FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite))
        {
            file.Position = position;
            var first = file.ReadByte();
            file.Position = position;
            file.WriteByte((byte)(first ^ 0xFF));
        }

        var ex = Assert.Throws<CorruptLogException>(() => log.ReadRaw(0, 100, long.MaxValue));
        Assert.Equal(7, ex.Offset);
        Assert.Equal(position, ex.Position);
        Assert.Equal(6, log.ReadRaw(0, 6, long.MaxValue).Count);
    }

    [Fact]
    public async Task Read_BelowStartOffset_ThrowsOffsetOutOfRange()
    {
        using var dir = new TempDir();
        await using var log = await Logs.OpenAsync(dir, new PartitionLogOptions { SegmentMaxBytes = 4096, RetentionBytes = 8192 });
        await Logs.AppendManyAsync(log, 100, 200);
        Assert.True(log.ApplyRetention() > 0);
        var ex = Assert.Throws<OffsetOutOfRangeException>(() => log.Read(0));
        Assert.Equal(log.StartOffset, ex.StartOffset);
    }

    [Fact]
    public async Task FollowAsync_AwaitsNewRecordsAndYieldsThemInOrder()
    {
        using var dir = new TempDir();
        await using var log = await Logs.OpenAsync(dir);
        await Logs.AppendManyAsync(log, 3);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var seen = new List<long>();
        var follower = Task.Run(async () =>
        {
            await foreach (var r in log.FollowAsync(1, cts.Token))
            {
                seen.Add(r.Offset);
                if (r.Offset == 9)
                {
                    break;
                }
            }
        });
        await Eventually.WaitUntil(() => log.Waiting == 1);
        Assert.False(follower.IsCompleted);
        await Logs.AppendManyAsync(log, 7, prefix: "later");
        await follower;
        Assert.Equal(Enumerable.Range(1, 9).Select(i => (long)i), seen);
    }

    [Fact]
    public async Task WaitForAsync_Cancelled_ThrowsWithoutAppending()
    {
        using var dir = new TempDir();
        await using var log = await Logs.OpenAsync(dir);
        using var cts = new CancellationTokenSource(50);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => log.WaitForAsync(0, cts.Token));
    }

    [Fact]
    public async Task OffsetForTime_NonMonotonicTimestamps_ReturnsTheFirstOffsetAtOrAfter()
    {
        using var dir = new TempDir();
        await using var log = await Logs.OpenAsync(dir, new PartitionLogOptions { SegmentMaxBytes = 4096 });
        var t0 = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        int[] minutes = [5, 1, 7, 3, 9, 9, 2, 12, 11, 20];
        for (var round = 0; round < 5; round++)
        {
            foreach (var m in minutes)
            {
                await log.AppendAsync(new AppendMessage(new byte[300]) { Timestamp = t0.AddMinutes(m + (round * 100)) });
            }
        }

        Assert.True(log.SegmentCount > 2);
        var timestamps = log.ReadBatch(0, 1000, long.MaxValue).Select(r => r.Metadata.Timestamp).ToList();
        foreach (var probe in new[] { -1, 0, 5, 6, 7, 8, 10, 12, 13, 105, 150, 420, 500 })
        {
            var t = t0.AddMinutes(probe);
            var expected = timestamps.FindIndex(ts => ts >= t.UtcDateTime);
            Assert.Equal(expected < 0 ? log.NextOffset : expected, log.OffsetForTime(t));
        }
    }

    [Fact]
    public async Task Search_EveryCriterion_MatchesANaiveFilter()
    {
        using var dir = new TempDir();
        await using var log = await Logs.OpenAsync(dir, new PartitionLogOptions { SegmentMaxBytes = 8192 });
        var t0 = new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);
        for (var i = 0; i < 300; i++)
        {
            await log.AppendAsync(new AppendMessage(Encoding.UTF8.GetBytes($"payload {i}"))
            {
                DataType = $"type{i % 3}",
                MessageGroup = $"group{i % 4}",
                ContentType = i % 2 == 0 ? "application/json" : "text/plain",
                Timestamp = t0.AddSeconds(i),
                Properties = new Dictionary<string, string> { ["tenant"] = $"t{i % 5}", ["all"] = "yes" },
            });
        }

        var all = log.ReadBatch(0, 1000, long.MaxValue).ToList();
        var queries = new (SearchQuery Query, Func<Format.RecordMetadata, bool> Naive)[]
        {
            (new SearchQuery { DataType = "type1", Max = 1000 }, m => m.DataType == "type1"),
            (new SearchQuery { MessageGroup = "group2", DataType = "type0", Max = 1000 }, m => m.MessageGroup == "group2" && m.DataType == "type0"),
            (new SearchQuery { ContentType = "text/plain", Properties = new Dictionary<string, string> { ["tenant"] = "t3" }, Max = 1000 }, m => m.ContentType == "text/plain" && m.Properties!["tenant"] == "t3"),
            (new SearchQuery { From = t0.AddSeconds(50), To = t0.AddSeconds(120), Properties = new Dictionary<string, string> { ["all"] = "yes" }, Max = 1000 }, m => m.Timestamp >= t0.AddSeconds(50).UtcDateTime && m.Timestamp < t0.AddSeconds(120).UtcDateTime),
            (new SearchQuery { DataType = "type2", StartOffset = 200, Max = 7 }, m => m.DataType == "type2" && m.Offset >= 200),
            (new SearchQuery { DataType = "missing", Max = 1000 }, _ => false),
        };
        foreach (var (query, naive) in queries)
        {
            var expected = all.Where(r => naive(r.Metadata)).Select(r => r.Offset).Take(query.Max);
            Assert.Equal(expected, log.Search(query).Select(r => r.Offset));
        }
    }

    [Fact]
    public async Task ReadById_FindsRecordsInSealedAndActiveSegments()
    {
        using var dir = new TempDir();
        await using var log = await Logs.OpenAsync(dir, new PartitionLogOptions { SegmentMaxBytes = 4096 });
        var results = await Logs.AppendManyAsync(log, 80, 150);
        Assert.Equal(3, log.ReadById("m-3")!.Offset);
        Assert.Equal(79, log.ReadById("m-79")!.Offset);
        Assert.Null(log.ReadById("nope"));
        var generated = await log.AppendAsync(Logs.Text("no id"));
        Assert.Equal(32, generated.Id.Length);
        Assert.Equal(generated.Offset, log.ReadById(generated.Id)!.Offset);
        Assert.Equal(results[10].Fingerprint.ToArray(), log.Read(10)!.Fingerprint.ToArray());
    }

    [Fact]
    public async Task ResultsOfConcurrentBatches_NameTheIdsStored_GeneratedOnesDistinct_CallersOnesKept()
    {
        using var dir = new TempDir();
        await using var log = await Logs.OpenAsync(dir);
        var batches = await Task.WhenAll(Enumerable.Range(0, 8).Select(p => Task.Run(() => log.AppendBatchAsync(
            [.. Enumerable.Range(0, 500).Select(i => i % 7 == 0 ? Logs.Text($"{p}/{i}", $"caller-{p}-{i}") : Logs.Text($"{p}/{i}"))]))));

        var results = batches.SelectMany(b => b).ToList();
        Assert.Equal(4000, results.Select(r => r.Id).Distinct().Count());
        foreach (var (batch, p) in batches.Select((b, p) => (b, p)))
        {
            for (var i = 0; i < batch.Length; i++)
            {
                var stored = log.Read(batch[i].Offset)!;
                Assert.Equal(batch[i].Id, stored.Metadata.Id);
                Assert.Equal(batch[i].Fingerprint.ToArray(), stored.Fingerprint.ToArray());
                if (i % 7 == 0)
                {
                    Assert.Equal($"caller-{p}-{i}", batch[i].Id);
                }
                else
                {
                    Assert.Matches("^[0-9a-f]{32}$", batch[i].Id);
                }
            }
        }

        var again = await log.AppendAsync(Logs.Text("0/0", "caller-0-0"));
        Assert.Equal(AppendStatus.Duplicate, again.Status);
        Assert.Equal(batches[0][0].Offset, again.Offset);
    }
}
