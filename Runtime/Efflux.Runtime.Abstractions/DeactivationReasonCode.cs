namespace Efflux.Runtime;

/// <summary>The kinds of <see cref="DeactivationReason"/>.</summary>
public enum DeactivationReasonCode
{
    /// <summary>The grain called DeactivateOnIdle.</summary>
    ApplicationRequested,

    /// <summary>No call for longer than the idle collection age.</summary>
    IdleCollection,

    /// <summary>The silo is shutting down.</summary>
    ShuttingDown,

    /// <summary>Activation failed (OnActivateAsync or state read threw).</summary>
    ActivationFailed,

    /// <summary>
    /// The cluster changed and the grain's placement is now another silo (one that joined or came back): the activation
    /// finishes what was sent to it and goes, so that the grain has one activation, there.
    /// </summary>
    PlacementChanged,
}
