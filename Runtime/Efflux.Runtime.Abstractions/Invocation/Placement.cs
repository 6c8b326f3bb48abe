namespace Efflux.Runtime.Invocation;

/// <summary>Where new activations of a grain class go.</summary>
public enum Placement
{
    /// <summary>Rendezvous hash of the grain id over the active silos (the default).</summary>
    Hash,

    /// <summary>The calling silo, when it hosts the class.</summary>
    PreferLocal,

    /// <summary>Recorded in the grain directory and kept there: the grain stays with its data.</summary>
    Directory,

    /// <summary>On the silo whose endpoint is the grain's key (<see cref="SiloPlacementAttribute"/>).</summary>
    Silo,
}
