using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.IO.Pipelines;
using System.Threading.Channels;
using Efflux.Runtime.Invocation;
using Efflux.Runtime.Serialization;
using Microsoft.Extensions.Logging;

namespace Efflux.Runtime.Networking;

/// <summary>
/// One runtime connection over a duplex pipe, used in both directions: calls go out with an id and their responses come
/// back matched by it; calls coming in are handed to <see cref="IInboundCalls"/>. Reading: ReadAsync, then every
/// complete frame is parsed where it lies, then AdvanceTo. Writing: frames queue in a bounded channel (a full channel
/// makes senders wait: back-pressure, not an unbounded queue) drained by one loop that flushes once per batch. Calls
/// waiting for a response are expired by one periodic sweep, not a timer each. Thread-safe.
/// </summary>
internal sealed class Connection : IAsyncDisposable
{
    private const int MaxFrame = 64 * 1024 * 1024;

    // Frames are written by callers and released by the write loop, on other threads, and more of them are in flight
    // than the shared array pool keeps per core: small frames are reused from a pool of their own instead.
    private const int PooledFrames = 1024;
    private const int PooledFrameBytes = 4096;
    private static readonly ConcurrentQueue<WireWriter> s_frames = new();
    private static int s_pooledFrames;

    private readonly IDuplexPipe _pipe;
    private readonly IInboundCalls _inbound;
    private readonly ILogger _log;
    private readonly Channel<WireWriter> _outgoing = Channel.CreateBounded<WireWriter>(new BoundedChannelOptions(4096) { SingleReader = true });
    private readonly ConcurrentDictionary<long, PendingCall> _pending = new();
    private readonly ConcurrentDictionary<long, CancellationTokenSource> _inboundCalls = new();
    private readonly CancellationTokenSource _closing = new();
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _nextCallId;
    private ITimer? _sweep;
    private TimeProvider? _sweepTime;

    public Connection(IDuplexPipe pipe, IInboundCalls inbound, ILogger log, string name)
    {
        _pipe = pipe;
        _inbound = inbound;
        _log = log;
        Name = name;

        // Closed exists before the loops start: the first frame read (a Hello) may already ask for it.
        Closed = _closed.Task;
        _ = Task.WhenAll(Task.Run(ReadLoopAsync), Task.Run(WriteLoopAsync)).ContinueWith(_ => _closed.TrySetResult(), TaskScheduler.Default);
    }

    /// <summary>Who is at the other end, for errors and logs.</summary>
    public string Name { get; }

    /// <summary>Completes when both loops have ended.</summary>
    public Task Closed { get; }

    public bool IsClosed => _closing.IsCancellationRequested;

    /// <summary>
    /// Sends a call and completes with its result, its remote exception, <see cref="GrainCallTimeoutException"/> after
    /// <paramref name="timeout"/>, or <see cref="SiloUnavailableException"/> if the connection drops.
    /// </summary>
    public Task<TResult> CallAsync<TResult>(GrainId target, GrainRequest<TResult> request, TimeSpan timeout, TimeProvider time)
        => TryCall(target, request, timeout, time, out var completion) ? completion : CallWhenRoomAsync(target, request, timeout, time);

    /// <summary>
    /// Sends a call if the outgoing queue takes its frame now, and gives the task of its outcome (as
    /// <see cref="CallAsync"/>); false, and nothing sent, when the queue is full or closed.
    /// </summary>
    public bool TryCall<TResult>(GrainId target, GrainRequest<TResult> request, TimeSpan timeout, TimeProvider time, [NotNullWhen(true)] out Task<TResult>? completion)
    {
        var (id, pending, frame) = Prepare(target, request, timeout, time);
        if (!_outgoing.Writer.TryWrite(frame))
        {
            _pending.TryRemove(id, out _);
            Recycle(frame);
            completion = null;
            return false;
        }

        WatchCancellation(id, pending, request.CancellationToken);
        completion = pending.Completion;
        return true;
    }

    /// <summary>
    /// True when <paramref name="error"/> says a call never left this process (its connection was already closing), so
    /// sending it elsewhere cannot run it twice.
    /// </summary>
    public static bool NotSent(Exception error)
        => error is SiloUnavailableException { InnerException: OperationCanceledException or ChannelClosedException or ObjectDisposedException };

    /// <summary>Tells the other end who this is; the first frame of a connecting side.</summary>
    public Task SendHelloAsync(string identity)
    {
        var frame = Frame(FrameKind.Hello);
        frame.WriteString(identity);
        return SendAsync(frame);
    }

    /// <summary>Sends a one-way call.</summary>
    public Task SendOneWayAsync(GrainId target, GrainRequest request)
    {
        var frame = Frame(FrameKind.OneWay);
        WriteCall(frame, target, request);
        return SendAsync(frame);
    }

    public async ValueTask DisposeAsync()
    {
        Close(null);
        await Closed.ConfigureAwait(false);
        _closing.Dispose();
    }

    private async Task<TResult> CallWhenRoomAsync<TResult>(GrainId target, GrainRequest<TResult> request, TimeSpan timeout, TimeProvider time)
    {
        var (id, pending, frame) = Prepare(target, request, timeout, time);
        try
        {
            await SendAsync(frame).ConfigureAwait(false);
        }
        catch (SiloUnavailableException)
        {
            _pending.TryRemove(id, out _);
            throw;
        }

        WatchCancellation(id, pending, request.CancellationToken);
        return await pending.Completion.ConfigureAwait(false);
    }

    /// <summary>Registers a call as pending (before its frame leaves, so that no response can come first) and frames it.</summary>
    private (long Id, PendingCall<TResult> Pending, WireWriter Frame) Prepare<TResult>(GrainId target, GrainRequest<TResult> request, TimeSpan timeout, TimeProvider time)
    {
        var id = Interlocked.Increment(ref _nextCallId);
        var pending = new PendingCall<TResult>(request, target, timeout, time.GetUtcNow() + timeout);
        _pending[id] = pending;
        StartSweep(time, timeout);
        var frame = Frame(FrameKind.Request);
        frame.WriteVarInt64(id);
        frame.WriteBool(request.CancellationToken.CanBeCanceled);
        WriteCall(frame, target, request);
        frame.PatchInt32(0, frame.Length - 4);
        return (id, pending, frame);
    }

    // Only a caller whose token can be cancelled sends a cancel frame; the others cost no registration.
    private void WatchCancellation(long id, PendingCall pending, CancellationToken token)
    {
        if (token.CanBeCanceled)
        {
            pending.Attach(token.Register(
                static state =>
                {
                    var (connection, callId) = ((Connection, long))state!;
                    _ = connection.SendCancelAsync(callId);
                },
                (this, id)));
        }
    }

    /// <summary>Starts, on the first call, the sweep that expires calls past their deadline: a tenth of the timeout apart (10 ms to 1 s).</summary>
    private void StartSweep(TimeProvider time, TimeSpan timeout)
    {
        if (Volatile.Read(ref _sweep) is not null)
        {
            return;
        }

        var timer = time.CreateTimer(static state => ((Connection)state!).Sweep(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        if (Interlocked.CompareExchange(ref _sweep, timer, null) is not null)
        {
            timer.Dispose();
            return;
        }

        _sweepTime = time;
        var period = TimeSpan.FromTicks(Math.Clamp(timeout.Ticks / 10, TimeSpan.FromMilliseconds(10).Ticks, TimeSpan.FromSeconds(1).Ticks));
        timer.Change(period, period);
        if (IsClosed)
        {
            timer.Dispose();
        }
    }

    private void Sweep()
    {
        var now = _sweepTime!.GetUtcNow();
        foreach (var (id, call) in _pending)
        {
            if (call.Deadline <= now && _pending.TryRemove(id, out var expired))
            {
                expired.Expire(Name);
            }
        }
    }

    private static WireWriter Frame(FrameKind kind)
    {
        if (s_frames.TryDequeue(out var frame))
        {
            Interlocked.Decrement(ref s_pooledFrames);
        }
        else
        {
            frame = new WireWriter();
        }

        frame.Reserve(4);
        frame.WriteByte((byte)kind);
        return frame;
    }

    /// <summary>Gives a frame that has been written out back to the pool (or its buffer to the array pool).</summary>
    private static void Recycle(WireWriter frame)
    {
        if (frame.Capacity <= PooledFrameBytes)
        {
            if (Interlocked.Increment(ref s_pooledFrames) <= PooledFrames)
            {
                frame.Reset();
                s_frames.Enqueue(frame);
                return;
            }

            Interlocked.Decrement(ref s_pooledFrames);
        }

        frame.Dispose();
    }

    private static void WriteCall(WireWriter frame, GrainId target, GrainRequest request)
    {
        frame.WriteUInt32(request.MethodId);
        frame.WriteString(target.Type);
        frame.WriteString(target.Key);
        request.WriteArguments(frame);
    }

    private async Task SendAsync(WireWriter frame)
    {
        frame.PatchInt32(0, frame.Length - 4);
        try
        {
            await _outgoing.Writer.WriteAsync(frame, _closing.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or ChannelClosedException or ObjectDisposedException)
        {
            frame.Dispose();
            throw new SiloUnavailableException($"The connection to {Name} is closed.", ex);
        }
    }

    private async Task SendCancelAsync(long callId)
    {
        var frame = Frame(FrameKind.Cancel);
        frame.WriteVarInt64(callId);
        try
        {
            await SendAsync(frame).ConfigureAwait(false);
        }
        catch (SiloUnavailableException)
        {
            // The call fails with the connection anyway.
        }
    }

    private async Task WriteLoopAsync()
    {
        var output = _pipe.Output;
        try
        {
            while (await _outgoing.Reader.WaitToReadAsync(_closing.Token).ConfigureAwait(false))
            {
                while (_outgoing.Reader.TryRead(out var frame))
                {
                    output.Write(frame.WrittenSpan);
                    Recycle(frame);
                }

                var flushed = await output.FlushAsync(_closing.Token).ConfigureAwait(false);
                if (flushed.IsCompleted)
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Closing.
        }
        catch (Exception ex)
        {
            Close(ex);
        }
        finally
        {
            while (_outgoing.Reader.TryRead(out var frame))
            {
                frame.Dispose();
            }

            await output.CompleteAsync().ConfigureAwait(false);
        }
    }

    private async Task ReadLoopAsync()
    {
        var input = _pipe.Input;
        Exception? error = null;
        try
        {
            while (true)
            {
                var result = await input.ReadAsync(_closing.Token).ConfigureAwait(false);
                var buffer = result.Buffer;
                while (TryReadFrame(ref buffer, out var frame))
                {
                    Handle(frame);
                }

                input.AdvanceTo(buffer.Start, buffer.End);
                if (result.IsCompleted)
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Closing.
        }
        catch (Exception ex)
        {
            error = ex;
        }
        finally
        {
            await input.CompleteAsync().ConfigureAwait(false);
            Close(error);
        }
    }

    private static bool TryReadFrame(ref ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> frame)
    {
        frame = default;
        if (buffer.Length < 4)
        {
            return false;
        }

        Span<byte> prefix = stackalloc byte[4];
        buffer.Slice(0, 4).CopyTo(prefix);
        var length = BinaryPrimitives.ReadInt32LittleEndian(prefix);
        if (length is < 1 or > MaxFrame)
        {
            throw new WireFormatException($"Invalid wire data: a frame of {length} bytes.");
        }

        if (buffer.Length < 4 + length)
        {
            return false;
        }

        frame = buffer.Slice(4, length);
        buffer = buffer.Slice(4 + length);
        return true;
    }

    private void Handle(ReadOnlySequence<byte> frame)
    {
        byte[]? rented = null;
        ReadOnlySpan<byte> span;
        if (frame.IsSingleSegment)
        {
            span = frame.FirstSpan;
        }
        else
        {
            rented = ArrayPool<byte>.Shared.Rent((int)frame.Length);
            frame.CopyTo(rented);
            span = rented.AsSpan(0, (int)frame.Length);
        }

        try
        {
            using var references = ReferenceContext.Use(_inbound.References);
            var reader = new WireReader(span[1..]);
            switch ((FrameKind)span[0])
            {
                case FrameKind.Response:
                    if (_pending.TryRemove(reader.ReadVarInt64(), out var pending))
                    {
                        pending.Complete(ref reader);
                    }

                    break;
                case FrameKind.Request:
                    var callId = reader.ReadVarInt64();
                    var cancellable = reader.ReadBool();
                    StartInbound(callId, cancellable, ref reader);
                    break;
                case FrameKind.OneWay:
                    StartInbound(null, cancellable: false, ref reader);
                    break;
                case FrameKind.Hello:
                    _inbound.Hello(this, reader.ReadString() ?? string.Empty);
                    break;
                case FrameKind.Cancel:
                    if (_inboundCalls.TryGetValue(reader.ReadVarInt64(), out var cts))
                    {
                        cts.Cancel();
                    }

                    break;
                default:
                    throw new WireFormatException($"Invalid wire data: unknown frame kind {span[0]}.");
            }
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>Parses an incoming call where it lies (arguments are copied out) and hands it on without blocking the read loop.</summary>
    private void StartInbound(long? callId, bool cancellable, ref WireReader reader)
    {
        var methodId = reader.ReadUInt32();
        var target = new GrainId(reader.ReadString() ?? string.Empty, reader.ReadString() ?? string.Empty);
        var request = GrainInterfaces.CreateRequest(methodId);
        if (request is null)
        {
            if (callId is { } id)
            {
                new InboundCall(this, id, cts: null).Fail(new InvalidOperationException($"Method {methodId:x8} is not known to this silo: its grain interface assembly is not loaded."));
            }

            return;
        }

        request.ReadArguments(ref reader);
        if (callId is not { } call)
        {
            _ = _inbound.OneWayAsync(target, request);
            return;
        }

        // Only a caller whose token can be cancelled may send a cancel frame: the others cost no token source.
        CancellationTokenSource? cts = null;
        if (cancellable)
        {
            cts = new CancellationTokenSource();
            _inboundCalls[call] = cts;
            request.CancellationToken = cts.Token;
        }

        var inbound = new InboundCall(this, call, cts);
        try
        {
            _inbound.Call(target, request, inbound);
        }
        catch (Exception ex)
        {
            inbound.Fail(ex);
        }
    }

    /// <summary>A response frame for a call, with nothing after the call id yet.</summary>
    internal static WireWriter ResponseFrame(long callId)
    {
        var frame = Frame(FrameKind.Response);
        frame.WriteVarInt64(callId);
        return frame;
    }

    /// <summary>Writes an error response body: status 1, the exception's type name and message.</summary>
    internal static void WriteError(WireWriter frame, Exception error)
    {
        frame.WriteByte(1);

        // A forwarded call's failure keeps the type of the grain's own exception.
        frame.WriteString(error is GrainCallException { RemoteType.Length: > 0 } remote ? remote.RemoteType : error.GetType().FullName);
        frame.WriteString(error.Message);
    }

    /// <summary>Sends the response of an inbound call and forgets the call's cancellation.</summary>
    internal void Respond(long callId, CancellationTokenSource? cts, WireWriter frame)
    {
        if (cts is not null)
        {
            _inboundCalls.TryRemove(callId, out _);
            cts.Dispose();
        }

        _ = RespondAsync(frame);
    }

    private async Task RespondAsync(WireWriter frame)
    {
        try
        {
            await SendAsync(frame).ConfigureAwait(false);
        }
        catch (SiloUnavailableException ex)
        {
            _log.ResponseLost(ex, Name);
        }
    }

    private void Close(Exception? error)
    {
        if (_closing.IsCancellationRequested)
        {
            return;
        }

        if (error is not null)
        {
            _log.ConnectionFailed(error, Name);
        }

        _outgoing.Writer.TryComplete();
        Volatile.Read(ref _sweep)?.Dispose();
        try
        {
            _closing.Cancel();
        }
        catch (ObjectDisposedException)
        {
            return;
        }

        foreach (var id in _pending.Keys)
        {
            if (_pending.TryRemove(id, out var pending))
            {
                pending.Fail(new SiloUnavailableException($"The connection to {Name} closed before the response arrived."));
            }
        }

        foreach (var cts in _inboundCalls.Values)
        {
            try
            {
                cts.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // The call just finished.
            }
        }
    }
}
