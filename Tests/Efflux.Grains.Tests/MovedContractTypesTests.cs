using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace Efflux.Grains.Tests;

/// <summary>
/// Grain state written before the contracts moved from namespace Efflux.Grains to Efflux still loads: Orleans' JSON
/// grain-state serializer stores type names, and the silo reads the old ones.
/// </summary>
public sealed class MovedContractTypesTests : IAsyncLifetime
{
    private readonly TwoSiloCluster _cluster = new();

    public Task InitializeAsync() => _cluster.InitializeAsync();

    public Task DisposeAsync() => _cluster.DisposeAsync();

    [Fact]
    public void TopicStateWithTheOldTypeName_Loads()
    {
        var serializer = _cluster.Cluster.Silos[0].ServiceProvider.GetRequiredService<IGrainStorageSerializer>();
        var written = serializer.Serialize(new TopicState { Config = new TopicConfig { Partitions = 7 }, Homes = ["a"] }).ToString();
        Assert.Contains("\"Efflux.TopicConfig, Efflux.Grains.Interfaces\"", written, StringComparison.Ordinal);
        var old = written.Replace("\"Efflux.TopicConfig, Efflux.Grains.Interfaces\"", "\"Efflux.Grains.TopicConfig, Efflux.Grains.Interfaces\"", StringComparison.Ordinal);

        var read = serializer.Deserialize<TopicState>(BinaryData.FromString(old));

        Assert.Equal(7, read!.Config!.Partitions);
        Assert.Equal(["a"], read.Homes);
    }

    [Fact]
    public void AnUnknownOldName_IsStillRefused()
    {
        var serializer = _cluster.Cluster.Silos[0].ServiceProvider.GetRequiredService<IGrainStorageSerializer>();
        var written = serializer.Serialize(new TopicState { Config = new TopicConfig { Partitions = 7 } }).ToString();
        var unknown = written.Replace("\"Efflux.TopicConfig, Efflux.Grains.Interfaces\"", "\"Efflux.Grains.NoSuchType, Efflux.Grains.Interfaces\"", StringComparison.Ordinal);

        Assert.ThrowsAny<Exception>(() => serializer.Deserialize<TopicState>(BinaryData.FromString(unknown)));
    }
}
