using Efflux.Runtime;
using Efflux.Runtime.Hosting;

namespace Efflux.Grains;

/// <summary>Answers for the silo it runs on.</summary>
[SiloPlacement]
internal sealed class SiloGrain(ISiloDetails silo) : Grain, ISiloGrain
{
    public Task<Dictionary<string, int>> GetActivationsAsync() => Task.FromResult(silo.ActivationsByType().ToDictionary());
}
