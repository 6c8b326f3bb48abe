using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.IO.Pipelines;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Efflux.Runtime.Networking;

/// <summary>
/// Connections to other silos (or, for a client, to gateways): one per key, opened on first use and again after it
/// drops; a connection a peer opened to us (and introduced with Hello) serves our calls to that peer too. Silos key
/// connections by the peer's whole address (<c>host:port@generation</c>), so that a silo restarted at the same endpoint
/// never shares one with its dead predecessor; clients key them by gateway endpoint. Thread-safe.
/// </summary>
internal sealed class ConnectionManager(IInboundCalls inbound, ILogger log, string identity) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<Task<Connection>>> _connections = new(StringComparer.Ordinal);

    /// <summary>The open connection for <paramref name="key"/> (<c>host:port</c>, or <c>host:port@generation</c>), connecting when there is none.</summary>
    /// <exception cref="SiloUnavailableException">The endpoint does not accept connections.</exception>
    public ValueTask<Connection> GetAsync(string key)
        => TryGetOpen(key, out var connection) ? new(connection) : new(ConnectAsync(key));

    /// <summary>The connection for <paramref name="key"/> when it is established and open; false otherwise.</summary>
    public bool TryGetOpen(string key, [NotNullWhen(true)] out Connection? connection)
    {
        if (_connections.TryGetValue(key, out var entry) && entry.IsValueCreated && entry.Value.IsCompletedSuccessfully && !entry.Value.Result.IsClosed)
        {
            connection = entry.Value.Result;
            return true;
        }

        connection = null;
        return false;
    }

    private async Task<Connection> ConnectAsync(string key)
    {
        var at = key.LastIndexOf('@');
        var endpoint = at > 0 ? key[..at] : key;
        while (true)
        {
            var entry = _connections.GetOrAdd(key, _ => new Lazy<Task<Connection>>(() => OpenAsync(endpoint)));
            Connection connection;
            try
            {
                connection = await entry.Value.ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is SocketException or IOException)
            {
                _connections.TryRemove(new KeyValuePair<string, Lazy<Task<Connection>>>(key, entry));
                throw new SiloUnavailableException($"Cannot connect to {endpoint}: {ex.Message}", ex);
            }

            if (!connection.IsClosed)
            {
                return connection;
            }

            _connections.TryRemove(new KeyValuePair<string, Lazy<Task<Connection>>>(key, entry));
        }
    }

    /// <summary>Uses a connection the peer known by <paramref name="key"/> opened, unless one is already there.</summary>
    public void Adopt(string key, Connection connection)
        => _connections.TryAdd(key, new Lazy<Task<Connection>>(Task.FromResult(connection)));

    /// <summary>Completes when the connection for <paramref name="key"/> has closed (at once when there is none).</summary>
    public Task ClosedAsync(string key)
        => _connections.TryGetValue(key, out var entry) && entry.IsValueCreated && entry.Value.IsCompletedSuccessfully
            ? entry.Value.Result.Closed
            : Task.CompletedTask;

    /// <summary>Closes the connection for a key (its silo is dead).</summary>
    public async Task DropAsync(string key)
    {
        if (_connections.TryRemove(key, out var entry) && entry.IsValueCreated && entry.Value.IsCompletedSuccessfully)
        {
            await entry.Value.Result.DisposeAsync().ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var key in _connections.Keys.ToList())
        {
            await DropAsync(key).ConfigureAwait(false);
        }
    }

    private const int IoBufferBytes = 64 * 1024;

    private async Task<Connection> OpenAsync(string endpoint)
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
