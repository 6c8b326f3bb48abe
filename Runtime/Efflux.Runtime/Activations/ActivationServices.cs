using Efflux.Runtime.Invocation;
using Efflux.Runtime.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Efflux.Runtime.Activations;

/// <summary>
/// The services a grain's constructor sees: the silo's, except that persistent states are created for this activation
/// and remembered, so that the activation reads them before OnActivateAsync.
/// </summary>
internal sealed class ActivationServices(IServiceProvider services, Action<Func<CancellationToken, Task>> track) : IServiceProvider, IPersistentStateFactory
{
    public object? GetService(Type serviceType) => serviceType == typeof(IPersistentStateFactory) ? this : services.GetService(serviceType);

    public IPersistentState<TState> Create<TState>(GrainId grainId, string stateName, string storageName)
        where TState : new()
    {
        var storage = services.GetKeyedService<IGrainStorage>(storageName) ?? throw new InvalidOperationException(
            $"No grain storage named '{storageName}' is registered: add AddMemoryGrainStorage(\"{storageName}\") or AddFileGrainStorage(\"{storageName}\", directory) to the silo.");
        var state = new PersistentState<TState>(storage, grainId, stateName);
        track(state.ReadStateAsync);
        return state;
    }
}
