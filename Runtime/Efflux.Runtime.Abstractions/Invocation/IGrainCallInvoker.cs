namespace Efflux.Runtime.Invocation;

/// <summary>Sends calls of generated proxies: the runtime's client or silo side implements it. Thread-safe.</summary>
public interface IGrainCallInvoker
{
    /// <summary>Calls the grain and completes with the method's result or exception.</summary>
    Task<TResult> InvokeAsync<TResult>(GrainId target, GrainRequest<TResult> request);

    /// <summary>Sends a [OneWay] call without waiting for the grain.</summary>
    void InvokeOneWay(GrainId target, GrainRequest request);
}
