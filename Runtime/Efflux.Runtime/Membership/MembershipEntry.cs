namespace Efflux.Runtime.Membership;

/// <summary>A silo's row in the membership table.</summary>
/// <param name="Status">Its status (only ever moves forward).</param>
/// <param name="Heartbeat">When it last said it was alive.</param>
/// <param name="Suspicions">Silos that found its heartbeat stale (addresses), since its last heartbeat.</param>
public sealed record MembershipEntry(SiloStatus Status, DateTimeOffset Heartbeat, IReadOnlyList<string> Suspicions);
