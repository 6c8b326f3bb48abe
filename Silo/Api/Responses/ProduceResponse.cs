namespace Efflux.Silo.Api.Responses;

/// <summary>What a produce request appended: one result per message, in request order.</summary>
/// <param name="Results">Partition, offset, id, fingerprint, and whether the id was a duplicate of a recent one.</param>
public sealed record ProduceResponse(IReadOnlyList<ProduceResult> Results);
