namespace Efflux.Storage.Tests;

/// <summary>A single flipped bit anywhere in any segment file is found, at the exact record that holds it.</summary>
public sealed class BitFlipTests
{
    [Fact]
    public async Task Verify_SingleBitFlipAnywhere_ReportsTheExactFirstBadOffset()
    {
        using var dir = new TempDir();
        await using (var log = await Logs.OpenAsync(dir, new PartitionLogOptions { SegmentMaxBytes = 6000 }))
        {
            for (var i = 0; i < 60; i++)
            {
                await log.AppendAsync(new AppendMessage(Logs.Payload(i, i * 7 % 300)) { Id = $"id-{i}", MessageGroup = i % 3 == 0 ? "g" : null, Properties = i % 5 == 0 ? new Dictionary<string, string> { ["p"] = "v" } : null });
            }
        }

        var files = Logs.SegmentFiles(dir);
        Assert.True(files.Length >= 3);
        var pristine = files.Select(File.ReadAllBytes).ToArray();
        var random = new Random(12345);
        var trials = 0;
        for (var f = 0; f < files.Length; f++)
        {
            var baseOffset = long.Parse(Path.GetFileNameWithoutExtension(files[f]), System.Globalization.CultureInfo.InvariantCulture);
            var starts = RecoveryTests.Segment(pristine[f]);
            for (var k = 0; k < 150; k++)
            {
                var position = random.Next(pristine[f].Length);
                var bit = random.Next(8);
                var damaged = (byte[])pristine[f].Clone();
                damaged[position] ^= (byte)(1 << bit);
                File.WriteAllBytes(files[f], damaged);
                var record = Array.FindLastIndex(starts, s => s <= position);

                var report = Efflux.Storage.Integrity.LogVerifier.VerifyPartition(dir.Partition());

                Assert.False(report.Ok, $"flip of bit {bit} at byte {position} of {Path.GetFileName(files[f])} went unnoticed");
                Assert.Equal(baseOffset + record, report.FirstBadOffset);
                trials++;
            }

            File.WriteAllBytes(files[f], pristine[f]);
        }

        Assert.True(trials >= 450);
        Assert.True(Efflux.Storage.Integrity.LogVerifier.VerifyPartition(dir.Partition()).Ok);
    }
}
