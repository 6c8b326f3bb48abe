using Efflux.Runtime.Invocation;

namespace Efflux.Runtime.Activations;

/// <summary>A timer tick: runs the grain's callback as an ordinary turn; a failure is logged, never thrown at anyone.</summary>
internal sealed class TimerWorkItem(Func<CancellationToken, Task> callback, Action<Exception> onError, CancellationToken cancellationToken) : WorkItem
{
    public override CallFlags Flags => CallFlags.None;

    public override async Task RunAsync(Grain grain)
    {
        try
        {
            await callback(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            onError(ex);
        }
    }

    public override void Fail(Exception error)
    {
        // A tick that could not run is simply skipped.
    }
}
