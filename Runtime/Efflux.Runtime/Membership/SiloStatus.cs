namespace Efflux.Runtime.Membership;

/// <summary>A silo's state in the membership table; a silo only moves forward through these.</summary>
public enum SiloStatus
{
    /// <summary>Starting: not yet given grains.</summary>
    Joining,

    /// <summary>Serving: grains are placed on it.</summary>
    Active,

    /// <summary>Leaving gracefully: no new activations, its grains are deactivating.</summary>
    ShuttingDown,

    /// <summary>Gone (left, or declared dead by its peers); never comes back under the same generation.</summary>
    Dead,
}
