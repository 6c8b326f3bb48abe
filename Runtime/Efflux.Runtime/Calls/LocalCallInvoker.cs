using Efflux.Runtime.Activations;
using Efflux.Runtime.Invocation;

namespace Efflux.Runtime.Calls;

/// <summary>
/// Calls to grains of this silo: the request object goes to the activation as is (no serialization; arguments must
/// not be changed by the caller after the call), and the caller waits at most the call timeout. Thread-safe.
/// </summary>
internal sealed class LocalCallInvoker(Catalog catalog) : IGrainCallInvoker
{
    public Task<TResult> InvokeAsync<TResult>(GrainId target, GrainRequest<TResult> request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var item = new CallWorkItem<TResult>(request);
        catalog.Dispatch(target, item);
        return WaitAsync(item.Completion, target, request.MethodName);
    }

    public void InvokeOneWay(GrainId target, GrainRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        catalog.Dispatch(target, new OneWayWorkItem(request, ex => RuntimeLog.OneWayFailed(catalog.Log, ex, request.MethodName, target)));
    }

    private async Task<TResult> WaitAsync<TResult>(Task<TResult> completion, GrainId target, string method)
    {
        try
        {
            return await completion.WaitAsync(catalog.Options.CallTimeout, catalog.Time).ConfigureAwait(false);
        }
        catch (TimeoutException ex) when (!completion.IsCompleted)
        {
            throw new GrainCallTimeoutException($"{method} on {target} got no response within {catalog.Options.CallTimeout}.", ex);
        }
    }
}
