using Efflux.Runtime.Activations;
using Efflux.Runtime.Invocation;

namespace Efflux.Runtime.Calls;

/// <summary>
/// Calls to grains of this silo: the request object goes to the activation as is (no serialization; arguments must
/// not be changed by the caller after the call), and the caller waits at most the call timeout. Thread-safe.
/// </summary>
internal sealed class LocalCallInvoker(Catalog catalog, CallTimeouts timeouts) : IGrainCallInvoker
{
    private readonly Action<ITimedCall> _completed = timeouts.Forget;

    public Task<TResult> InvokeAsync<TResult>(GrainId target, GrainRequest<TResult> request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var item = new CallWorkItem<TResult>(request, target, _completed);
        timeouts.Track(item);
        catalog.Dispatch(target, item);
        return item.Completion;
    }

    public void InvokeOneWay(GrainId target, GrainRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        catalog.Dispatch(target, new OneWayWorkItem(request, ex => RuntimeLog.OneWayFailed(catalog.Log, ex, request.MethodName, target)));
    }
}
