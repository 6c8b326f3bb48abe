using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using System.Runtime.InteropServices;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Efflux.Client;

/// <summary>
/// The client's TCP transport to its gateways: Orleans' own socket transport reads a connection 2 to 4 KiB per receive
/// call (its buffers are 4 KiB pool blocks), so a reader fetching megabytes of records spent about 40% of its CPU in
/// receive system calls. This one receives into 64 KiB pooled segments. Messages, framing, TLS and everything above
/// the socket stay Orleans'.
/// </summary>
internal static class GatewayTransport
{
    /// <summary>The smallest buffer one receive call is given.</summary>
    internal const int ReceiveSegmentBytes = 64 * 1024;

    /// <summary>
    /// Orleans looks the client's connection factory up as a keyed service under a key of its own
    /// (<c>ClientOutboundConnectionFactory.ServicesKey</c>, not public); null when this Orleans version has no such key,
    /// and the client then keeps Orleans' transport.
    /// </summary>
    internal static object? ServicesKey { get; } = typeof(IClusterClient).Assembly
        .GetType("Orleans.Runtime.Messaging.ClientOutboundConnectionFactory")?
        .GetField("ServicesKey", BindingFlags.NonPublic | BindingFlags.Static)?
        .GetValue(null);

    /// <summary>Has the client connect to gateways through this transport (when Orleans lets it: see <see cref="ServicesKey"/>).</summary>
    public static void Use(IClientBuilder client)
    {
        if (ServicesKey is { } key)
        {
            client.Services.AddKeyedSingleton<IConnectionFactory>(key, new Factory());
        }
    }

    private sealed class Factory : IConnectionFactory
    {
        public async ValueTask<ConnectionContext> ConnectAsync(EndPoint endpoint, CancellationToken cancellationToken = default)
        {
            var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true, LingerState = new LingerOption(true, 0) };
            try
            {
                // Keep-alive probes after 90 s of silence, every 30 s, 10 unanswered close it (Orleans' own settings).
                socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.KeepAlive, true);
                socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveTime, 90);
                socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveInterval, 30);
                socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveRetryCount, 10);
                await socket.ConnectAsync(endpoint, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                socket.Dispose();
                throw;
            }

            var connection = new SocketPipeConnection(socket);
            connection.Start();
            return connection;
        }
    }

    /// <summary>
    /// One gateway connection: a receive loop writes what the socket gives into the pipe Orleans reads, a send loop
    /// writes to the socket what Orleans puts in the other pipe. <see cref="BaseConnectionContext.ConnectionClosed"/> fires
    /// once the receive loop has ended (the peer closed, the socket failed, or <see cref="Abort"/> shut it).
    /// </summary>
    private sealed class SocketPipeConnection : ConnectionContext
    {
        private readonly Socket _socket;
        private readonly Duplex _socketSide;
        private readonly CancellationTokenSource _closed = new();
        private readonly Lock _shutdownLock = new();
        private volatile bool _shutDown;
        private Task _loops = Task.CompletedTask;

        public SocketPipeConnection(Socket socket)
        {
            _socket = socket;
            LocalEndPoint = socket.LocalEndPoint;
            RemoteEndPoint = socket.RemoteEndPoint;
            ConnectionClosed = _closed.Token;

            // Received bytes: written here (inline, by the receive loop), read by Orleans on the pool; sent bytes the
            // other way. Neither pipe pauses its writer: Orleans bounds what it queues itself.
            var received = new Pipe(new PipeOptions(readerScheduler: PipeScheduler.ThreadPool, writerScheduler: PipeScheduler.Inline, pauseWriterThreshold: 0, minimumSegmentSize: ReceiveSegmentBytes, useSynchronizationContext: false));
            var sent = new Pipe(new PipeOptions(readerScheduler: PipeScheduler.ThreadPool, writerScheduler: PipeScheduler.Inline, pauseWriterThreshold: 0, useSynchronizationContext: false));
            Transport = new Duplex(received.Reader, sent.Writer);
            _socketSide = new Duplex(sent.Reader, received.Writer);
        }

        public override string ConnectionId { get; set; } = Guid.NewGuid().ToString("N");

        public override IFeatureCollection Features { get; } = new FeatureCollection();

        public override IDictionary<object, object?> Items { get; set; } = new Dictionary<object, object?>();

        public override IDuplexPipe Transport { get; set; }

        public void Start() => _loops = Task.WhenAll(Task.Run(ReceiveLoopAsync), Task.Run(SendLoopAsync));

        public override void Abort(ConnectionAbortedException abortReason)
        {
            Shutdown();
            _socketSide.Input.CancelPendingRead();
        }

        public override async ValueTask DisposeAsync()
        {
            await Transport.Input.CompleteAsync().ConfigureAwait(false);
            await Transport.Output.CompleteAsync().ConfigureAwait(false);

            // Orleans aborts a connection before disposing it once it has used it, but not one it never started.
            Shutdown();
            await _loops.ConfigureAwait(false);
            _closed.Dispose();
            await base.DisposeAsync().ConfigureAwait(false);
        }

        private async Task ReceiveLoopAsync()
        {
            var input = _socketSide.Output;
            Exception? error = null;
            try
            {
                while (true)
                {
                    var memory = input.GetMemory(ReceiveSegmentBytes / 4);
                    var received = await _socket.ReceiveAsync(memory, SocketFlags.None).ConfigureAwait(false);
                    if (received == 0)
                    {
                        break;
                    }

                    input.Advance(received);
                    var flushed = await input.FlushAsync().ConfigureAwait(false);
                    if (flushed.IsCompleted || flushed.IsCanceled)
                    {
                        break;
                    }
                }
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
                error = _shutDown ? null : new ConnectionResetException(ex.Message, ex);
            }
            finally
            {
                await input.CompleteAsync(error).ConfigureAwait(false);

                // Orleans starts closing its side from this token's callback; not on this loop's stack.
                await Task.Run(_closed.Cancel).ConfigureAwait(false);
            }
        }

        private async Task SendLoopAsync()
        {
            var output = _socketSide.Input;
            Exception? error = null;
            try
            {
                while (true)
                {
                    var read = await output.ReadAsync().ConfigureAwait(false);
                    if (read.IsCanceled)
                    {
                        break;
                    }

                    await SendAsync(read.Buffer).ConfigureAwait(false);
                    output.AdvanceTo(read.Buffer.End);
                    if (read.IsCompleted)
                    {
                        break;
                    }
                }
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
                error = _shutDown ? null : ex;
            }
            finally
            {
                Shutdown();
                await output.CompleteAsync(error).ConfigureAwait(false);
            }
        }

        /// <summary>Sends a run of bytes with one call however many segments it has.</summary>
        private async ValueTask SendAsync(ReadOnlySequence<byte> bytes)
        {
            if (bytes.IsSingleSegment)
            {
                var memory = bytes.First;
                while (!memory.IsEmpty)
                {
                    memory = memory[await _socket.SendAsync(memory, SocketFlags.None).ConfigureAwait(false)..];
                }

                return;
            }

            var segments = new List<ArraySegment<byte>>();
            foreach (var segment in bytes)
            {
                segments.Add(MemoryMarshal.TryGetArray(segment, out var array) ? array : segment.ToArray());
            }

            var left = bytes.Length - await _socket.SendAsync(segments, SocketFlags.None).ConfigureAwait(false);
            if (left > 0)
            {
                await SendAsync(bytes.Slice(bytes.Length - left)).ConfigureAwait(false);
            }
        }

        /// <summary>Closes the socket (once): both loops then end.</summary>
        private void Shutdown()
        {
            lock (_shutdownLock)
            {
                if (_shutDown)
                {
                    return;
                }

                _shutDown = true;
                try
                {
                    _socket.Shutdown(SocketShutdown.Both);
                }
                catch (SocketException)
                {
                    // Already reset by the peer: disposing is all that is left.
                }

                _socket.Dispose();
            }
        }
    }

    private sealed class Duplex(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }
}
