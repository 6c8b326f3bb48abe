namespace Efflux.Runtime;

/// <summary>A grain identified by a string key.</summary>
#pragma warning disable CA1040 // A marker interface: GetGrain(string) is constrained to it.
public interface IGrainWithStringKey : IGrain
{
}
#pragma warning restore CA1040
