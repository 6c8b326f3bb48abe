using Efflux.Runtime.Activations;
using Efflux.Runtime.Invocation;
using Efflux.Runtime.Networking;

namespace Efflux.Runtime.Calls;

/// <summary>
/// Calls to grains of this silo: the request object goes to the activation as is (no serialization; arguments must
/// not be changed by the caller after the call), and the caller waits at most the call timeout. A call that completed
/// while it was dispatched (its turn ran on the caller's thread and did not yield) is never tracked for the timeout.
/// Thread-safe.
/// </summary>
internal sealed class LocalCallInvoker(Catalog catalog, CallTimeouts timeouts) : IGrainCallInvoker
{
    public Task<TResult> InvokeAsync<TResult>(GrainId target, GrainRequest<TResult> request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var item = new CallWorkItem<TResult>(request, target);
        catalog.Dispatch(target, item);
        var completion = item.TakeCompletion();
        if (!completion.IsCompleted)
        {
            item.TrackIn(timeouts);
        }

        return completion;
    }

    /// <summary>Runs a call received on a connection as a turn that answers it.</summary>
    public void Dispatch(GrainId target, GrainRequest request, InboundCall call) => catalog.Dispatch(target, new InboundCallWorkItem(request, call));

    public void InvokeOneWay(GrainId target, GrainRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        catalog.Dispatch(target, new OneWayWorkItem(request, ex => RuntimeLog.OneWayFailed(catalog.Log, ex, request.MethodName, target)));
    }
}
