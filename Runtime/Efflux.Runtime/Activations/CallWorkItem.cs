using Efflux.Runtime.Invocation;

namespace Efflux.Runtime.Activations;

/// <summary>
/// A grain call: runs the request on the grain and completes the caller's task with its outcome; the call leaves the
/// timeout tracker when it completes, or fails with a timeout when the tracker expires it first.
/// </summary>
internal sealed class CallWorkItem<TResult>(GrainRequest<TResult> request, GrainId target, Action<ITimedCall> completed) : WorkItem, ITimedCall
{
    private readonly TaskCompletionSource<TResult> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

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

        completed(this);
    }

    public override void Fail(Exception error)
    {
        _completion.TrySetException(error);
        completed(this);
    }

    public void Expire(TimeSpan timeout)
        => _completion.TrySetException(new GrainCallTimeoutException($"{request.MethodName} on {target} got no response within {timeout}."));
}
