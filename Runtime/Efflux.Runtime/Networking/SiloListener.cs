using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;

namespace Efflux.Runtime.Networking;

/// <summary>
/// The silo port: a Kestrel server whose connection handler turns every accepted connection into a runtime
/// <see cref="Connection"/> (Pipelines on both ends) until the peer goes. Kestrel's own logging stays quiet.
/// </summary>
internal sealed class SiloListener(IInboundCalls inbound, ILogger log) : IAsyncDisposable
{
    private WebApplication? _server;
    private readonly List<Connection> _connections = [];
    private readonly Lock _lock = new();

    public async Task StartAsync(string host, int port, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = "Efflux.Runtime.Silo" });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Parse(host), port, listen => listen.Run(HandleAsync)));
        _server = builder.Build();
        await _server.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stops accepting and drops every accepted connection (a killed silo's peers see their calls fail at once).</summary>
    public async ValueTask DisposeAsync()
    {
        List<Connection> open;
        lock (_lock)
        {
            open = [.. _connections];
        }

        foreach (var connection in open)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }

        if (_server is not null)
        {
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await _server.StopAsync(grace.Token).ConfigureAwait(false);
            await _server.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task HandleAsync(ConnectionContext context)
    {
        var connection = new Connection(context.Transport, inbound, log, context.RemoteEndPoint?.ToString() ?? "a peer");
        lock (_lock)
        {
            _connections.Add(connection);
        }

        try
        {
            await connection.Closed.ConfigureAwait(false);
        }
        finally
        {
            lock (_lock)
            {
                _connections.Remove(connection);
            }

            await connection.DisposeAsync().ConfigureAwait(false);
        }
    }
}
