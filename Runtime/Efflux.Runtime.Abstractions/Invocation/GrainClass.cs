namespace Efflux.Runtime.Invocation;

/// <summary>
/// A grain implementation as generated code registers it: its name, scheduling and placement, and a factory that builds
/// an instance from the silo's services (persistent states included). Immutable.
/// </summary>
/// <param name="Name">The class's full name.</param>
/// <param name="Reentrant">[Reentrant]: calls interleave at every await.</param>
/// <param name="Placement">Where new activations go.</param>
/// <param name="Factory">Builds an instance for a grain id.</param>
public sealed record GrainClass(string Name, bool Reentrant, Placement Placement, Func<IServiceProvider, GrainId, Grain> Factory)
{
    /// <summary>A constructor dependency from the silo's services.</summary>
    /// <exception cref="InvalidOperationException">The service is not registered.</exception>
    public static T Require<T>(IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        return services.GetService(typeof(T)) is T service
            ? service
            : throw new InvalidOperationException($"A grain constructor needs {typeof(T)}, which is not registered in the silo's services.");
    }

    /// <summary>A constructor's [PersistentState] parameter.</summary>
    public static IPersistentState<TState> State<TState>(IServiceProvider services, GrainId grainId, string stateName, string storageName)
        where TState : new()
        => Require<IPersistentStateFactory>(services).Create<TState>(grainId, stateName, storageName);
}
