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
    private readonly TaskCompletionSource<TResult> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private CallTimeouts? _timeouts;

    public Task<TResult> Completion => _completion.Task;

    public override CallFlags Flags => request.Flags;

    private TResult? _result;
    private Exception? _error;

    public override async Task RunAsync(Grain grain)
    {
        try
        {
            _result = await request.InvokeAsync(grain);
        }
        catch (Exception ex)
        {
            // The grain's exception is the caller's; the activation lives on.
            _error = ex;
        }
    }

    public override void Complete()
    {
        switch (_error)
        {
            case null:
                _completion.TrySetResult(_result!);
                break;
            case OperationCanceledException canceled:
                _completion.TrySetCanceled(canceled.CancellationToken);
                break;
            default:
                _completion.TrySetException(_error);
                break;
        }

        Untrack();
    }

    public override void Fail(Exception error)
    {
        _completion.TrySetException(error);
        Untrack();
    }

    /// <summary>Puts the call under the call timeout.</summary>
    public void TrackIn(CallTimeouts timeouts)
    {
        Volatile.Write(ref _timeouts, timeouts);
        timeouts.Track(this);
    }

    private void Untrack() => Volatile.Read(ref _timeouts)?.Forget(this);

    public void Expire(TimeSpan timeout)
        => _completion.TrySetException(new GrainCallTimeoutException($"{request.MethodName} on {target} got no response within {timeout}."));
}
