namespace Efflux.Grains.Placement;

/// <summary>
/// Places a partition grain, and the segment grains of its partition, on the silo that holds the partition's files:
/// the silo whose stable name the topic recorded for the partition when it was created. See <see cref="HomeSiloPlacementDirector"/>.
/// </summary>
[GenerateSerializer]
[Immutable]
[SuppressReferenceTracking]
[Alias("efflux.HomeSiloPlacement")]
public sealed class HomeSiloPlacement : PlacementStrategy
{
    /// <summary>The one instance.</summary>
    public static HomeSiloPlacement Instance { get; } = new();
}
