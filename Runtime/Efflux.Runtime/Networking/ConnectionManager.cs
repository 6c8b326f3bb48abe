using System.Collections.Concurrent;
using System.IO.Pipelines;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Efflux.Runtime.Networking;

/// <summary>
/// Connections to other silos (or, for a client, to gateways): one per endpoint, opened on first use and again after
/// it drops; a connection a peer opened to us (and introduced with Hello) serves our calls to that peer too.
/// Thread-safe.
/// </summary>
internal sealed class ConnectionManager(IInboundCalls inbound, ILogger log, string identity) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<Task<Connection>>> _connections = new(StringComparer.Ordinal);

    /// <summary>The open connection to <paramref name="endpoint"/> ("host:port"), connecting when there is none.</summary>
    /// <exception cref="SiloUnavailableException">The endpoint does not accept connections.</exception>
    public async Task<Connection> GetAsync(string endpoint)
    {
        while (true)
        {
            var entry = _connections.GetOrAdd(endpoint, e => new Lazy<Task<Connection>>(() => ConnectAsync(e)));
            Connection connection;
            try
            {
                connection = await entry.Value.ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is SocketException or IOException)
            {
                _connections.TryRemove(new KeyValuePair<string, Lazy<Task<Connection>>>(endpoint, entry));
                throw new SiloUnavailableException($"Cannot connect to {endpoint}: {ex.Message}", ex);
            }

            if (!connection.IsClosed)
            {
                return connection;
            }

            _connections.TryRemove(new KeyValuePair<string, Lazy<Task<Connection>>>(endpoint, entry));
        }
    }

    /// <summary>Uses a connection the peer at <paramref name="endpoint"/> opened, unless one is already there.</summary>
    public void Adopt(string endpoint, Connection connection)
        => _connections.TryAdd(endpoint, new Lazy<Task<Connection>>(Task.FromResult(connection)));

    /// <summary>Closes the connection to an endpoint (its silo is dead).</summary>
    public async Task DropAsync(string endpoint)
    {
        if (_connections.TryRemove(endpoint, out var entry) && entry.IsValueCreated && entry.Value.IsCompletedSuccessfully)
        {
            await entry.Value.Result.DisposeAsync().ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var endpoint in _connections.Keys.ToList())
        {
            await DropAsync(endpoint).ConfigureAwait(false);
        }
    }

    private const int IoBufferBytes = 64 * 1024;

    private async Task<Connection> ConnectAsync(string endpoint)
    {
        var separator = endpoint.LastIndexOf(':');
        var host = endpoint[..separator];
        var port = int.Parse(endpoint.AsSpan(separator + 1), System.Globalization.CultureInfo.InvariantCulture);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(host, port).ConfigureAwait(false);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        var stream = new NetworkStream(socket, ownsSocket: true);
        // Reads and writes of 64 KiB, not the 4 KiB defaults: a batch of records is a frame of megabytes.
        var connection = new Connection(
            new DuplexPipe(
                PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: IoBufferBytes, minimumReadSize: IoBufferBytes / 4)),
                PipeWriter.Create(stream, new StreamPipeWriterOptions(minimumBufferSize: IoBufferBytes))),
            inbound,
            log,
            endpoint);
        await connection.SendHelloAsync(identity).ConfigureAwait(false);
        return connection;
    }
}
