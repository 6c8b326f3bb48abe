using Efflux.Runtime.Activations;
using Microsoft.Extensions.Hosting;

namespace Efflux.Runtime.Hosting;

/// <summary>Starts the silo with the host and, on stop, deactivates every activation (awaiting OnDeactivateAsync) before the host goes.</summary>
internal sealed class SiloLifecycle(Catalog catalog) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => catalog.DeactivateAllAsync().WaitAsync(cancellationToken);
}
