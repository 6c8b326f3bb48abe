namespace Efflux.Runtime.Invocation;

/// <summary>Creates the persistent state a grain constructor asks for with <see cref="PersistentStateAttribute"/>. Implemented by the runtime.</summary>
public interface IPersistentStateFactory
{
    /// <summary>The state <paramref name="stateName"/> of grain <paramref name="grainId"/> in storage provider <paramref name="storageName"/> (not read yet).</summary>
    IPersistentState<TState> Create<TState>(GrainId grainId, string stateName, string storageName)
        where TState : new();
}
