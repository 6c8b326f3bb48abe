using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Serialization.Serializers;

namespace Efflux.Grains.Tests;

/// <summary>Acknowledgements on the wire: Orleans' serializer uses <see cref="ProduceResultCodec"/>, and what it reads back is what was sent.</summary>
public sealed class ProduceResultCodecTests
{
    private static readonly ServiceProvider Services = new ServiceCollection().AddSerializer().BuildServiceProvider();

    private static ProduceResult Appended(int i) => new()
    {
        Partition = 7,
        Offset = 1_000_000_000_000 + i,
        Id = $"order-{i}-ünïcode-✓",
        Fingerprint = Enumerable.Range(i, 32).Select(b => (byte)b).ToArray(),
    };

    [Fact]
    public void TheSerializer_UsesTheHandWrittenCodec_AndRoundTripsEveryField()
    {
        Assert.IsType<ProduceResultCodec>(Services.GetRequiredService<ICodecProvider>().GetCodec<ProduceResult>());
        var serializer = Services.GetRequiredService<Serializer<ProduceResult>>();
        var duplicate = new ProduceResult { Partition = 0, Offset = 0, Id = "", Fingerprint = [], Duplicate = true };

        foreach (var sent in new[] { Appended(1), duplicate })
        {
            var received = serializer.Deserialize(serializer.SerializeToArray(sent))!;

            Assert.Equal((sent.Partition, sent.Offset, sent.Id, sent.Duplicate), (received.Partition, received.Offset, received.Id, received.Duplicate));
            Assert.Equal(sent.Fingerprint, received.Fingerprint);
        }

        // Nulls where the type promises none arrive as empty instead of failing the answer that carries them.
        var withNulls = serializer.Deserialize(serializer.SerializeToArray(new ProduceResult { Offset = 5, Id = null!, Fingerprint = null! }))!;
        Assert.Equal((5L, "", 0), (withNulls.Offset, withNulls.Id, withNulls.Fingerprint.Length));
    }

    [Fact]
    public void AListOfResults_WithANull_TheSameResultTwice_AndSharedObjectsAroundThem_RoundTrips()
    {
        // Results are values on the wire, so the reference numbering of everything else in the message must stay right.
        var serializer = Services.GetRequiredService<Serializer<(List<ProduceResult?>, string, byte[], string)>>();
        var shared = "shared text";
        var bytes = new byte[] { 9, 8, 7 };
        var repeated = Appended(2);
        var results = new List<ProduceResult?>(Enumerable.Range(0, 1500).Select(Appended)) { null, repeated, repeated };

        var (list, text, array, again) = serializer.Deserialize(serializer.SerializeToArray((results, shared, bytes, shared)));

        Assert.Equal(results.Count, list.Count);
        for (var i = 0; i < 1500; i++)
        {
            Assert.Equal((results[i]!.Offset, results[i]!.Id), (list[i]!.Offset, list[i]!.Id));
            Assert.Equal(results[i]!.Fingerprint, list[i]!.Fingerprint);
        }

        Assert.Null(list[1500]);
        Assert.Equal(repeated.Offset, list[1501]!.Offset);
        Assert.Equal(repeated.Offset, list[1502]!.Offset);
        Assert.Equal(shared, text);
        Assert.Same(text, again);
        Assert.Equal(bytes, array);
    }

    [Fact]
    public void ATruncatedResult_IsRefused_AndAResultIsNotCopiedInsideASilo()
    {
        var serializer = Services.GetRequiredService<Serializer<ProduceResult>>();
        var bytes = serializer.SerializeToArray(Appended(3));

        Assert.ThrowsAny<Exception>(() => serializer.Deserialize(bytes.AsSpan(0, bytes.Length - 10).ToArray()));

        var result = Appended(4);
        Assert.Same(result, Services.GetRequiredService<DeepCopier<ProduceResult>>().Copy(result));
    }
}
