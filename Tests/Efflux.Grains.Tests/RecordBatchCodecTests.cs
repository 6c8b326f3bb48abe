using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Serialization.Serializers;

namespace Efflux.Grains.Tests;

/// <summary>A fetched batch on the wire: Orleans' serializer uses <see cref="RecordBatchCodec"/>, and what it reads back is what was sent.</summary>
public sealed class RecordBatchCodecTests
{
    private static readonly ServiceProvider Services = new ServiceCollection().AddSerializer().BuildServiceProvider();

    private static RecordBatch Sample() => new()
    {
        Partition = 3,
        Pieces = [[1, 2, 3], [], Enumerable.Range(0, 70_000).Select(i => (byte)i).ToArray()],
        NextOffset = 1_000_000_000_007,
        EndOffset = 1_000_000_000_009,
        StartOffset = 5,
        Count = 11,
        FirstOffset = 1_000_000_000_000,
    };

    [Fact]
    public void TheSerializer_UsesTheHandWrittenCodec_AndRoundTripsEveryField()
    {
        Assert.IsType<RecordBatchCodec>(Services.GetRequiredService<ICodecProvider>().GetCodec<RecordBatch>());
        var serializer = Services.GetRequiredService<Serializer<RecordBatch>>();
        var sent = Sample();

        var received = serializer.Deserialize(serializer.SerializeToArray(sent))!;

        Assert.Equal(sent.Partition, received.Partition);
        Assert.Equal(sent.Pieces, received.Pieces);
        Assert.Equal((sent.NextOffset, sent.EndOffset, sent.StartOffset, sent.Count, sent.FirstOffset), (received.NextOffset, received.EndOffset, received.StartOffset, received.Count, received.FirstOffset));
    }

    [Fact]
    public void ABatchInsideAnotherValue_AndTheSameBatchTwice_RoundTrip()
    {
        var serializer = Services.GetRequiredService<Serializer<RecordBatch[]>>();
        var batch = Sample();
        var empty = new RecordBatch { Partition = 1, NextOffset = 9, EndOffset = 9, FirstOffset = 9 };

        var received = serializer.Deserialize(serializer.SerializeToArray([batch, empty, batch]))!;

        Assert.Same(received[0], received[2]);
        Assert.Equal(batch.Pieces, received[0].Pieces);
        Assert.Empty(received[1].Pieces);
        Assert.Equal(9, received[1].NextOffset);
    }

    [Fact]
    public void ATruncatedBatch_IsRefused_AndAnImmutableOneIsNotCopiedInsideASilo()
    {
        var serializer = Services.GetRequiredService<Serializer<RecordBatch>>();
        var bytes = serializer.SerializeToArray(Sample());

        Assert.ThrowsAny<Exception>(() => serializer.Deserialize(bytes.AsSpan(0, bytes.Length - 40_000).ToArray()));

        var batch = Sample();
        Assert.Same(batch, Services.GetRequiredService<DeepCopier<RecordBatch>>().Copy(batch));
    }
}
