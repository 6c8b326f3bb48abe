using Orleans.Configuration;
using Orleans.TestingHost;

namespace Efflux.Grains.Tests;

/// <summary>
/// Two silos of Microsoft.Orleans.TestingHost in this process, each with the real storage engine under a data directory
/// of its own (as on two machines) and grain state in one directory of the file grain storage that both share (as a
/// cluster shares its grain storage; Orleans' memory storage would lose the state held by a killed silo).
/// </summary>
public sealed class TwoSiloCluster(Action<ISiloBuilder>? configure = null) : IAsyncLifetime
{
    public TwoSiloCluster()
        : this(null)
    {
    }

    private readonly string _root = Path.Combine(Path.GetTempPath(), "efflux-grains-" + Guid.NewGuid().ToString("N"));

    public InProcessTestCluster Cluster { get; private set; } = null!;

    public IClusterClient Client => Cluster.Client;

    /// <summary>The data directory of the silo with this name.</summary>
    public string DataDirectoryOf(string siloName) => Path.Combine(_root, siloName);

    public async Task InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(2);
        builder.Options.ConfigureFileLogging = false;
        builder.ConfigureSilo((options, silo) =>
        {
            silo.AddEffluxFileGrainStorage(Path.Combine(_root, "@state"));
            silo.AddEffluxGrains(o => o.DataDirectory = DataDirectoryOf(options.SiloName));
            silo.Configure<ClusterMembershipOptions>(o =>
            {
                o.ProbeTimeout = TimeSpan.FromSeconds(1);
                o.NumMissedProbesLimit = 2;
                o.NumVotesForDeathDeclaration = 1;
                o.TableRefreshTimeout = TimeSpan.FromSeconds(1);
            });
            configure?.Invoke(silo);
        });
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        await Cluster.DisposeAsync();
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }
}
