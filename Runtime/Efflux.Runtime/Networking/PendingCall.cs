using Efflux.Runtime.Invocation;
using Efflux.Runtime.Serialization;

namespace Efflux.Runtime.Networking;

/// <summary>
/// A call sent on a connection, waiting for its response frame until its deadline (the connection's sweep expires it
/// then). Completes once: by the response, a failure of the connection, or the deadline.
/// </summary>
internal abstract class PendingCall(DateTimeOffset deadline)
{
    private IDisposable? _cancellation;

    /// <summary>When the call times out.</summary>
    public DateTimeOffset Deadline { get; } = deadline;

    /// <summary>Completes from a response body positioned after the call id.</summary>
    public abstract void Complete(ref WireReader reader);

    public abstract void Fail(Exception error);

    /// <summary>Fails the call with <see cref="GrainCallTimeoutException"/>: no response from <paramref name="peer"/> in time.</summary>
    public abstract void Expire(string peer);

    /// <summary>Keeps the registration that sends the cancel frame; it is disposed when the call completes.</summary>
    public void Attach(CancellationTokenRegistration registration)
    {
        Volatile.Write(ref _cancellation, registration);
        if (IsCompleted)
        {
            Detach();
        }
    }

    protected abstract bool IsCompleted { get; }

    protected void Detach() => Interlocked.Exchange(ref _cancellation, null)?.Dispose();
}

/// <summary>A pending call whose result is read with the request's own codec.</summary>
internal sealed class PendingCall<TResult>(GrainRequest<TResult> request, GrainId target, TimeSpan timeout, DateTimeOffset deadline) : PendingCall(deadline)
{
    private readonly TaskCompletionSource<TResult> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<TResult> Completion => _completion.Task;

    protected override bool IsCompleted => _completion.Task.IsCompleted;

    public override void Complete(ref WireReader reader)
    {
        try
        {
            if (reader.ReadByte() == 0)
            {
                _completion.TrySetResult(request.ReadResult(ref reader));
            }
            else
            {
                var type = reader.ReadString() ?? string.Empty;
                _completion.TrySetException(type == typeof(OperationCanceledException).FullName || type == typeof(TaskCanceledException).FullName
                    ? new OperationCanceledException(reader.ReadString())
                    : new GrainCallException(type, reader.ReadString() ?? string.Empty));
            }
        }
        catch (WireFormatException ex)
        {
            _completion.TrySetException(ex);
        }

        Detach();
    }

    public override void Fail(Exception error)
    {
        _completion.TrySetException(error);
        Detach();
    }

    public override void Expire(string peer)
        => Fail(new GrainCallTimeoutException($"{request.MethodName} on {target} got no response from {peer} within {timeout}."));
}
