using Efflux.Runtime.Calls;
using Efflux.Runtime.Invocation;

namespace Efflux.Runtime.Activations;

/// <summary>
/// A grain call: runs the request on the grain and completes the caller's task with its outcome. A call still pending
/// after dispatch is tracked for the call timeout: it leaves the tracker when it completes, or fails with a timeout when
/// the tracker expires it first. (A call that completes while it is being tracked may stay in the tracker until its
/// deadline; expiring it then changes nothing.)
/// </summary>
internal sealed class CallWorkItem<TResult>(GrainRequest<TResult> request, GrainId target) : WorkItem, ITimedCall
{
    // In _waiter when the outcome was known before the caller asked for its task.
    private static readonly object Done = new();

    // Null until the first of: the caller asks for its task (the completion source it waits on), or the outcome is
    // known (Done). A call that completes while it is dispatched so never allocates a completion source.
    private object? _waiter;
    private CallTimeouts? _timeouts;

    // The outcome: the grain method's own task once it succeeded (handed to the caller as it is when it was done
    // before the caller asked), or the error.
    private Task<TResult>? _succeeded;
    private Exception? _error;

    public override CallFlags Flags => request.Flags;

    /// <summary>The caller's task; asked for once, after dispatch.</summary>
    public Task<TResult> TakeCompletion()
    {
        if (Volatile.Read(ref _waiter) == Done && _succeeded is { } succeeded)
        {
            return succeeded;
        }

        var waiter = new TaskCompletionSource<TResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (Interlocked.CompareExchange(ref _waiter, waiter, null) is not null)
        {
            // The outcome came first: a failure (the grain threw at once, or the call was refused), or a success that
            // landed between the check above and this exchange.
            SetOutcome(waiter);
        }

        return waiter.Task;
    }

    public override async Task RunAsync(Grain grain)
    {
        try
        {
            var call = request.InvokeAsync(grain);
            await call;
            _succeeded = call;
        }
        catch (Exception ex)
        {
            // The grain's exception is the caller's; the activation lives on.
            _error = ex;
        }
    }

    public override void Complete()
    {
        if (Interlocked.CompareExchange(ref _waiter, Done, null) is TaskCompletionSource<TResult> waiter)
        {
            SetOutcome(waiter);
        }

        Untrack();
    }

    public override void Fail(Exception error)
    {
        _error = error;
        Complete();
    }

    /// <summary>Puts the call under the call timeout.</summary>
    public void TrackIn(CallTimeouts timeouts)
    {
        Volatile.Write(ref _timeouts, timeouts);
        timeouts.Track(this);
    }

    private void Untrack() => Volatile.Read(ref _timeouts)?.Forget(this);

    // Only tracked calls expire, and they are tracked after the caller took its task: _waiter holds it.
    public void Expire(TimeSpan timeout)
        => ((TaskCompletionSource<TResult>)_waiter!).TrySetException(new GrainCallTimeoutException($"{request.MethodName} on {target} got no response within {timeout}."));

    private void SetOutcome(TaskCompletionSource<TResult> waiter)
    {
        switch (_error)
        {
            case null:
                waiter.TrySetResult(_succeeded!.Result);
                break;
            case OperationCanceledException canceled:
                waiter.TrySetCanceled(canceled.CancellationToken);
                break;
            default:
                waiter.TrySetException(_error);
                break;
        }
    }
}
