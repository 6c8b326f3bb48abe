namespace Efflux.Runtime;

/// <summary>Why an activation is going away.</summary>
/// <param name="Code">The kind of reason.</param>
/// <param name="Description">Human-readable detail.</param>
public sealed record DeactivationReason(DeactivationReasonCode Code, string Description);
