using Orleans.Placement;

namespace Efflux.Grains.Placement;

/// <summary>Marks a grain keyed <c>{ns}/{topic}/{partition}[/…]</c> for <see cref="HomeSiloPlacement"/>.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class HomeSiloPlacementAttribute : PlacementAttribute
{
    /// <summary>Home-silo placement.</summary>
    public HomeSiloPlacementAttribute()
        : base(HomeSiloPlacement.Instance)
    {
    }
}
