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

    public override async Task RunAsync(Grain grain)
    {
        try
        {
            _completion.TrySetResult(await request.InvokeAsync(grain));
        }
        catch (OperationCanceledException ex)
        {
            _completion.TrySetCanceled(ex.CancellationToken);
        }
        catch (Exception ex)
        {
            // The grain's exception is the caller's; the activation lives on.
            _completion.TrySetException(ex);
        }
        finally
        {
            completed(this);
        }
    }

    public override void Fail(Exception error)
    {
        _completion.TrySetException(error);
        completed(this);
    }

    public void Expire(TimeSpan timeout)
        => _completion.TrySetException(new GrainCallTimeoutException($"{request.MethodName} on {target} got no response within {timeout}."));
}
