namespace Efflux.Runtime;

/// <summary>A grain identified by a <see cref="Guid"/> key (carried as its "D" string form).</summary>
#pragma warning disable CA1040 // A marker interface: GetGrain(Guid) is constrained to it.
public interface IGrainWithGuidKey : IGrain
{
}
#pragma warning restore CA1040
