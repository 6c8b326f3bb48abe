using FsCheck.Fluent;

namespace Efflux.Storage.Tests;

/// <summary>Random metadata and payloads round-trip exactly through the log and verify.</summary>
public sealed class PropertyTests
{
    private static readonly char[] Alphabet = "aZ09 .-_\"\\\n\t\u0001é中😀".ToCharArray();

    [Fact]
    public async Task Append_RandomMessages_RoundTripAndVerify()
    {
        using var dir = new TempDir();
        await using var log = await Logs.OpenAsync(dir, new PartitionLogOptions { SegmentMaxBytes = 16 * 1024 });
        var text = Gen.ArrayOf(Gen.Elements(Alphabet)).Select(cs => new string(cs)).Where(IsWellFormed);
        var message = from payload in Gen.ArrayOf(ArbMap.Default.GeneratorFor<byte>())
                      from dataType in Gen.OneOf(Gen.Constant<string?>(null), text.Select(s => (string?)s))
                      from grp in Gen.OneOf(Gen.Constant<string?>(null), text.Select(s => (string?)s))
                      from props in Gen.ListOf(Gen.Zip(text, text))
                      from ticks in Gen.Choose(0, int.MaxValue)
                      select (payload, dataType, grp, props: props.DistinctBy(p => p.Item1).ToDictionary(p => p.Item1, p => p.Item2), ticks);

        var samples = message.Sample(300, 40);
        foreach (var (payload, dataType, group, props, ticks) in samples)
        {
            var timestamp = new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero).AddTicks(ticks * 1000L);
            var r = await log.AppendAsync(new AppendMessage(payload) { DataType = dataType, MessageGroup = group, Properties = props, Timestamp = timestamp });
            var read = log.Read(r.Offset)!;
            Assert.Equal(payload, read.Payload.ToArray());
            Assert.Equal(dataType, read.Metadata.DataType);
            Assert.Equal(group, read.Metadata.MessageGroup);
            Assert.Equal(props, read.Metadata.Properties ?? new Dictionary<string, string>());
            Assert.Equal(timestamp.UtcDateTime, read.Metadata.Timestamp);
        }

        Assert.Equal(samples.Length, log.Verify().Records);
        Assert.True(log.Verify().Ok);
        Assert.Equal(samples.Length, IndependentVerifier.Verify(dir.Partition(), "ns", "topic", 0));
    }

    private static bool IsWellFormed(string s)
    {
        try
        {
            _ = new System.Text.UTF8Encoding(false, true).GetByteCount(s);
            return true;
        }
        catch (System.Text.EncoderFallbackException)
        {
            return false;
        }
    }
}
