namespace Efflux.Runtime;

/// <summary>
/// A callback interface that a grain calls to push to a client or another grain (created with
/// <see cref="IGrainFactory.CreateObjectReference{T}"/>). Its methods follow the grain method rules; one-way methods
/// do not wait for the observer.
/// </summary>
#pragma warning disable CA1040 // A marker interface, as IGrain.
public interface IGrainObserver
{
}
#pragma warning restore CA1040
