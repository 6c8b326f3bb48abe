namespace Efflux.Runtime;

/// <summary>
/// A grain's durable state, read on activation. Every write is conditional on <see cref="Etag"/>: a writer whose view
/// is stale gets <see cref="InconsistentStateException"/> and the stored state is left as the other writer wrote it.
/// Used from the grain's turns only.
/// </summary>
/// <typeparam name="TState">A contract type.</typeparam>
public interface IPersistentState<TState>
    where TState : new()
{
    /// <summary>The state (a fresh instance when nothing is stored).</summary>
    TState State { get; set; }

    /// <summary>The version of the stored state this instance last read or wrote; null when nothing is stored.</summary>
    string? Etag { get; }

    /// <summary>True when a stored state exists.</summary>
    bool RecordExists { get; }

    /// <summary>Reloads the stored state.</summary>
    Task ReadStateAsync(CancellationToken cancellationToken = default);

    /// <summary>Stores <see cref="State"/> if the stored version is still <see cref="Etag"/>.</summary>
    Task WriteStateAsync(CancellationToken cancellationToken = default);

    /// <summary>Deletes the stored state if the stored version is still <see cref="Etag"/>, and resets <see cref="State"/>.</summary>
    Task ClearStateAsync(CancellationToken cancellationToken = default);
}
