using Efflux.Format;

namespace Efflux.Storage.Tests;

/// <summary>Torn tails, zero-filled tails and damage below the durable point, on real files.</summary>
public sealed class RecoveryTests
{
    [Fact]
    public async Task Open_TornAtEveryByteOfTheLastRecords_KeepsExactlyTheValidPrefix()
    {
        using var dir = new TempDir();
        await using (var log = await Logs.OpenAsync(dir))
        {
            await Logs.AppendManyAsync(log, 20, 60);
        }

        var file = Logs.SegmentFiles(dir)[0];
        var pristine = File.ReadAllBytes(file);
        var starts = Segment(pristine);
        var checkpoint = Path.Combine(dir.Partition(), "recovery.ckpt");
        File.Delete(checkpoint);
        var firstCut = starts[^4];
        for (var cut = firstCut; cut < pristine.Length; cut++)
        {
            // 1. crash image: the file ends at `cut`
            File.WriteAllBytes(file, pristine[..cut]);
            File.Delete(checkpoint);

            // 2. reopen: the torn record goes, every complete one stays
            var complete = starts.Count(s => s < cut && NextStart(starts, s, pristine.Length) <= cut);
            await using (var log = await Logs.OpenAsync(dir))
            {
                Assert.Equal(complete, log.NextOffset);
                Assert.Equal(cut - starts.Where(s => s < cut).Select(s => NextStart(starts, s, pristine.Length)).Where(e => e <= cut).DefaultIfEmpty(0).Max(), log.Recovery.TruncatedBytes);

                // 3. appends continue on the cut chain and everything verifies
                await log.AppendAsync(Logs.Text("after"));
                Assert.True(log.Verify().Ok);
            }
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(100)]
    [InlineData(70_000)]
    public async Task Open_ZeroFilledTail_IsCut(int zeros)
    {
        using var dir = new TempDir();
        await using (var log = await Logs.OpenAsync(dir))
        {
            await Logs.AppendManyAsync(log, 10);
        }

        var file = Logs.SegmentFiles(dir)[0];
        var length = new FileInfo(file).Length;
        using (var fs = new FileStream(file, FileMode.Append))
        {
            fs.Write(new byte[zeros]);
        }

        await using (var log = await Logs.OpenAsync(dir))
        {
            Assert.Equal(10, log.NextOffset);
            Assert.Equal(zeros, log.Recovery.TruncatedBytes);
            Assert.Equal(length, new FileInfo(file).Length);
        }
    }

    [Fact]
    public async Task Open_PartlyWrittenRecordFollowedByZeros_IsCut()
    {
        using var dir = new TempDir();
        var (file, bytes, starts) = await WriteTenRecordsAsync(dir);
        var last = starts[^1];
        Array.Clear(bytes, last + 30, bytes.Length - last - 30);
        File.WriteAllBytes(file, bytes);
        File.Delete(Path.Combine(dir.Partition(), "recovery.ckpt"));
        await using var reopened = await Logs.OpenAsync(dir);
        Assert.Equal(9, reopened.NextOffset);
    }

    [Fact]
    public async Task Open_DamageBelowTheDurablePoint_RefusesWithTheFileOffsetAndValues()
    {
        using var dir = new TempDir();
        var (file, bytes, starts) = await WriteTenRecordsAsync(dir);
        bytes[starts[^1] + 20] ^= 0x01;
        File.WriteAllBytes(file, bytes);

        var ex = await Assert.ThrowsAsync<CorruptLogException>(() => Logs.OpenAsync(dir));
        Assert.Equal(file, ex.File);
        Assert.Equal(starts[^1], ex.Position);
        Assert.Equal(9, ex.Offset);
        Assert.NotEqual(ex.Expected, ex.Actual);
    }

    [Fact]
    public async Task Open_DamageInTheMiddleWithoutCheckpoint_RefusesInsteadOfRepairing()
    {
        using var dir = new TempDir();
        var (file, bytes, starts) = await WriteTenRecordsAsync(dir);
        bytes[starts[4] + 200] ^= 0x80;
        File.WriteAllBytes(file, bytes);
        File.Delete(Path.Combine(dir.Partition(), "recovery.ckpt"));

        var ex = await Assert.ThrowsAsync<CorruptLogException>(() => Logs.OpenAsync(dir));
        Assert.Equal(4, ex.Offset);
        Assert.Equal(bytes.Length, new FileInfo(file).Length);
    }

    [Fact]
    public async Task Open_TruncatedBelowTheCheckpoint_IsDetected()
    {
        using var dir = new TempDir();
        await using (var log = await Logs.OpenAsync(dir))
        {
            await Logs.AppendManyAsync(log, 10);
        }

        var file = Logs.SegmentFiles(dir)[0];
        var bytes = File.ReadAllBytes(file);
        File.WriteAllBytes(file, bytes[..Segment(bytes)[^1]]);
        var ex = await Assert.ThrowsAsync<CorruptLogException>(() => Logs.OpenAsync(dir));
        Assert.Contains("durable point", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Open_AfterCleanClose_ScansNothingBeyondTheCheckpoint()
    {
        using var dir = new TempDir();
        await using (var log = await Logs.OpenAsync(dir))
        {
            await Logs.AppendManyAsync(log, 50);
        }

        await using var reopened = await Logs.OpenAsync(dir);
        Assert.True(reopened.Recovery.FromCheckpoint);
        Assert.Equal(0, reopened.Recovery.ScannedRecords);
        Assert.Equal(50, reopened.NextOffset);
        Assert.Equal(49, reopened.Read(49)!.Metadata.Offset);
    }

    [Fact]
    public async Task Open_DeletedSideFiles_AreRebuiltWithTheSameAnswers()
    {
        using var dir = new TempDir();
        var options = new PartitionLogOptions { SegmentMaxBytes = 8192 };
        await using (var log = await Logs.OpenAsync(dir, options))
        {
            await Logs.AppendManyAsync(log, 100);
            Assert.Equal(50, log.Search(new SearchQuery { DataType = "even", Max = 1000 }).Count);
        }

        foreach (var f in Directory.GetFiles(dir.Partition()).Where(f => !f.EndsWith(".log", StringComparison.Ordinal)))
        {
            File.Delete(f);
        }

        await using var reopened = await Logs.OpenAsync(dir, options);
        Assert.Equal(100, reopened.NextOffset);
        Assert.Equal(50, reopened.Search(new SearchQuery { DataType = "even", Max = 1000 }).Count);
        Assert.Equal(37, reopened.ReadById("m-37")!.Offset);
        Assert.True(reopened.Verify().Ok);
    }

    /// <summary>Writes ten records, closes the log and returns its one segment file, its bytes and record starts.</summary>
    private static async Task<(string File, byte[] Bytes, int[] Starts)> WriteTenRecordsAsync(TempDir dir)
    {
        await using (var log = await Logs.OpenAsync(dir))
        {
            await Logs.AppendManyAsync(log, 10);
        }

        var file = Logs.SegmentFiles(dir)[0];
        var bytes = File.ReadAllBytes(file);
        return (file, bytes, Segment(bytes));
    }

    internal static int[] Segment(byte[] bytes)
    {
        var starts = new List<int>();
        for (var p = 0; p < bytes.Length; p += RecordLayout.ReadLength(bytes.AsSpan(p)))
        {
            starts.Add(p);
        }

        return [.. starts];
    }

    private static int NextStart(int[] starts, int start, int length)
    {
        var i = Array.IndexOf(starts, start);
        return i + 1 < starts.Length ? starts[i + 1] : length;
    }
}
