namespace Efflux.Service.Tests;

/// <summary>
/// Tests that time real silo processes (failure detection within seconds, resident memory, a filling disk): they run
/// one at a time after the other tests, so that a neighbour's load on the two cores does not decide their outcome.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SiloProcessCollection
{
    public const string Name = "timed silo processes";
}
