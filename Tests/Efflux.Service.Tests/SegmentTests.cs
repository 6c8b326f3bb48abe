using System.Text;
using Efflux.Client;

namespace Efflux.Service.Tests;

/// <summary>Sealed segments served by segment grains: reads across many of them, whole-partition verification, and a recreated topic never reading a deleted one's files.</summary>
public sealed class SegmentTests() : SiloWithClient
{
    private async Task<TopicClient> SmallSegmentsAsync(string topic, string prefix, int count)
    {
        await Client.CreateTopicAsync("seg", topic, new TopicConfig { Partitions = 1, SegmentBytes = 4096 });
        var client = Client.Topic("seg", topic);
        foreach (var chunk in Enumerable.Range(0, count).Chunk(25))
        {
            await client.AppendBatchAsync([.. chunk.Select(i => new ProduceMessage { Id = $"{prefix}-{i}", Payload = Encoding.UTF8.GetBytes($"{prefix}-{i}") })]);
        }

        return client;
    }

    [Fact]
    public async Task Reads_AcrossManySealedSegments_ReturnEveryRecordOnceInOrder()
    {
        var topic = await SmallSegmentsAsync("many", "m", 600);
        var info = await topic.DescribeAsync();
        Assert.True(info.Partitions[0].Segments > 20, $"only {info.Partitions[0].Segments} segments");

        var read = await topic.ReadAsync(0, verifyChain: true).Select(m => Encoding.UTF8.GetString(m.Payload)).ToListAsync();
        Assert.Equal(Enumerable.Range(0, 600).Select(i => $"m-{i}"), read);

        // From the middle of a sealed segment, with small batches (which end early where a segment ends): raw payloads
        // come back as base64.
        var polled = new List<string>();
        for (var from = 101L; polled.Count < 30;)
        {
            var batch = await Problems.Json(await Silo.Http.GetAsync($"/v1/topics/seg/many/partitions/0/messages?from={from}&max=7"));
            var messages = batch.GetProperty("messages").EnumerateArray().ToList();
            Assert.InRange(messages.Count, 1, 7);
            polled.AddRange(messages.Select(m => Encoding.UTF8.GetString(Convert.FromBase64String(m.GetProperty("dataBase64").GetString()!))));
            from = batch.GetProperty("partitions")[0].GetProperty("nextOffset").GetInt64();
        }

        Assert.Equal(Enumerable.Range(101, polled.Count).Select(i => $"m-{i}"), polled);

        // The sealed segments were read by segment grains.
        var cluster = await Problems.Json(await Silo.Http.GetAsync("/v1/cluster"));
        var activations = cluster.GetProperty("silos")[0].GetProperty("activations");
        Assert.True(activations.TryGetProperty("efflux.segment", out var segments) && segments.GetInt32() > 10, activations.GetRawText());
    }

    [Fact]
    public async Task Verify_OfTheWholePartition_ChecksEverySegment_AndFindsAFlippedBitInASealedOne()
    {
        var topic = await SmallSegmentsAsync("verify", "v", 400);
        var whole = await topic.VerifyAsync(0);
        var ranged = await topic.VerifyAsync(0, 0, 399);
        Assert.True(whole.Ok, whole.Reason);
        Assert.Equal(400, whole.Records);
        Assert.Equal(ranged.Records, whole.Records);
        Assert.Equal(ranged.HeadFingerprint, whole.HeadFingerprint);
        Assert.Equal(400, whole.NextOffset);

        // Flip one payload byte of record 123, which lies in a sealed segment.
        var directory = Path.Combine(Silo.DataDirectory, "seg", "verify", "0");
        var file = Directory.GetFiles(directory, "*.log").Order(StringComparer.Ordinal).SkipLast(1)
            .First(f => Encoding.ASCII.GetString(File.ReadAllBytes(f)).Contains("v-123", StringComparison.Ordinal));
        var bytes = await File.ReadAllBytesAsync(file);
        var at = Encoding.ASCII.GetString(bytes).IndexOf("\"v-123\"", StringComparison.Ordinal) is var id and >= 0
            ? Encoding.ASCII.GetString(bytes).IndexOf("v-123", id + 7, StringComparison.Ordinal)
            : -1;
        Assert.True(at > 0);
        await using (var stream = new FileStream(file, FileMode.Open, FileAccess.Write, FileShare.ReadWrite))
        {
            stream.Position = at;
            stream.WriteByte((byte)(bytes[at] ^ 0x01));
        }

        var broken = await topic.VerifyAsync(0);
        Assert.False(broken.Ok);
        Assert.Equal(123, broken.FirstBadOffset);
        Assert.Equal(123, broken.Records);
    }

    [Fact]
    public async Task ARecreatedTopic_NeverReadsTheDeletedTopicsSegments()
    {
        var old = await SmallSegmentsAsync("again", "old", 300);
        Assert.Equal(300, await old.ReadAsync(0).CountAsync());
        await Client.DeleteTopicAsync("seg", "again");

        var fresh = await SmallSegmentsAsync("again", "new", 300);
        var read = await fresh.ReadAsync(0, verifyChain: true).Select(m => Encoding.UTF8.GetString(m.Payload)).ToListAsync();
        Assert.Equal(Enumerable.Range(0, 300).Select(i => $"new-{i}"), read);
        Assert.True((await fresh.VerifyAsync(0)).Ok);
    }
}
