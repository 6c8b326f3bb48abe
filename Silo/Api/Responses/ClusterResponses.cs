namespace Efflux.Silo.Api.Responses;

/// <summary>The cluster as this silo sees it.</summary>
/// <param name="Self">This silo's name.</param>
/// <param name="Silos">Every silo of the membership table, by name.</param>
public sealed record ClusterResponse(string Self, IReadOnlyList<SiloResponse> Silos);

/// <summary>One silo of the membership table.</summary>
/// <param name="Name">Its stable name.</param>
/// <param name="Address">Its Orleans silo address (with generation).</param>
/// <param name="Endpoint">Its silo-to-silo endpoint.</param>
/// <param name="Gateway">Its client gateway endpoint, when it has one.</param>
/// <param name="Status">Active, Joining, ShuttingDown, Dead, …</param>
/// <param name="Heartbeat">Its last I-am-alive time.</param>
/// <param name="Self">True for the silo that answered.</param>
/// <param name="InView">True when the answering silo holds it active.</param>
/// <param name="Grains">Activations on it (active silos only).</param>
/// <param name="Activations">Activations by grain type (active silos only).</param>
public sealed record SiloResponse(string Name, string Address, string Endpoint, string? Gateway, string Status, DateTime Heartbeat, bool Self, bool InView, int? Grains, IReadOnlyDictionary<string, int>? Activations);
