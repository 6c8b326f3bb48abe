using Efflux.Runtime.Invocation;

namespace Efflux.Runtime.Activations;

/// <summary>A grain call: runs the request on the grain and completes the caller's task with its outcome.</summary>
internal sealed class CallWorkItem<TResult>(GrainRequest<TResult> request) : WorkItem
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
    }

    public override void Fail(Exception error) => _completion.TrySetException(error);
}
