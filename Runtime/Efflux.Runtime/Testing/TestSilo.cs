using Efflux.Runtime.Activations;
using Efflux.Runtime.Hosting;
using Efflux.Runtime.Membership;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Efflux.Runtime.Testing;

/// <summary>One silo of a <see cref="TestCluster"/>: a real host with a real silo port on loopback.</summary>
public sealed class TestSilo
{
    internal TestSilo(IHost host)
    {
        Host = host;
        Address = host.Services.GetRequiredService<SiloLifecycle>().Address ?? throw new InvalidOperationException("The test silo has no port.");
    }

    /// <summary>The silo's host.</summary>
    public IHost Host { get; }

    /// <summary>The silo's address.</summary>
    public SiloAddress Address { get; }

    /// <summary>Grain references whose calls start at this silo.</summary>
    public IGrainFactory GrainFactory => Host.Services.GetRequiredService<IGrainFactory>();

    /// <summary>Activations on this silo.</summary>
    public int ActivationCount => Host.Services.GetRequiredService<Catalog>().Count;

    /// <summary>True when this silo hosts an activation of the grain.</summary>
    public bool Hosts(GrainId grainId) => Host.Services.GetRequiredService<Catalog>().Contains(grainId);
}
