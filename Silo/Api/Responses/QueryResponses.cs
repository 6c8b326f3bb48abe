namespace Efflux.Silo.Api.Responses;

/// <summary>The live queries of a namespace.</summary>
/// <param name="Namespace">The namespace.</param>
/// <param name="Queries">Each query, described.</param>
public sealed record QueryListResponse(string Namespace, IReadOnlyList<QueryInfo> Queries);
