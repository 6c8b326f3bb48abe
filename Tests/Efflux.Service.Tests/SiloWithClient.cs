using Efflux.Client;

namespace Efflux.Service.Tests;

/// <summary>A test class's in-process silo, started with <paramref name="settings"/>, and an SDK client connected to it.</summary>
public abstract class SiloWithClient(params string[] settings) : IAsyncLifetime
{
    protected InProcessSilo Silo { get; private set; } = null!;

    protected EffluxClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Silo = await InProcessSilo.StartAsync(settings);
        Client = await Silo.ConnectAsync();
    }

    public async Task DisposeAsync()
    {
        await Client.DisposeAsync();
        await Silo.DisposeAsync();
    }
}
