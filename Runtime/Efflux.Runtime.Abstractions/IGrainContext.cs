namespace Efflux.Runtime;

/// <summary>
/// What the runtime gives an activation: its identity, a grain factory, idle deactivation and timers. Implemented by
/// the runtime; grains see it through <see cref="Grain"/>. Called only from the activation's own turns.
/// </summary>
public interface IGrainContext
{
    /// <summary>The activation's grain id.</summary>
    GrainId GrainId { get; }

    /// <summary>References to other grains.</summary>
    IGrainFactory GrainFactory { get; }

    /// <summary>Asks the runtime to deactivate this activation once the current turn ends.</summary>
    void DeactivateOnIdle();

    /// <summary>
    /// Runs <paramref name="callback"/> as a turn of the activation after <paramref name="dueTime"/>, then every
    /// <paramref name="period"/> (<see cref="Timeout.InfiniteTimeSpan"/>: once) until disposed or deactivated.
    /// </summary>
    IDisposable RegisterTimer(Func<CancellationToken, Task> callback, TimeSpan dueTime, TimeSpan period);
}
