using System.Globalization;
using Orleans.Runtime.Placement;

namespace Efflux.Grains.Placement;

/// <summary>
/// Puts a partition's grains on its home silo, found by the stable silo name the topic recorded (not by the silo's
/// address, whose generation changes at every start). While no active silo has that name the activation is refused
/// with <see cref="EffluxError.Unavailable"/>: a partition never starts a second, empty chain on another silo.
/// </summary>
internal sealed class HomeSiloPlacementDirector(IClusterMembershipService membership, PartitionHomes homes) : IPlacementDirector
{
    public async Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var key = target.GrainIdentity.Key.ToString()!;
        var parts = GrainKeys.Split(key);
        if (parts.Length < 3 || !int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var partition))
        {
            throw EffluxException.Invalid($"'{key}' is not namespace/topic/partition.");
        }

        var home = await homes.HomeOfAsync(parts[0], parts[1], partition).ConfigureAwait(false);
        var compatible = context.GetCompatibleSilos(target);
        foreach (var (address, member) in membership.CurrentSnapshot.Members)
        {
            if (member.Status == SiloStatus.Active && string.Equals(member.Name, home, StringComparison.Ordinal) && compatible.Contains(address))
            {
                return address;
            }
        }

        throw EffluxException.Unavailable($"Partition unavailable: partition {partition} of {parts[0]}/{parts[1]} is kept by silo '{home}', which is not active.");
    }
}
