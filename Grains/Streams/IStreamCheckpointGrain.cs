namespace Efflux.Grains.Streams;

/// <summary>
/// Saved positions of an Efflux stream provider: for each partition whose stream hashes to the queue in the key
/// (whichever queue reads it), the offset below which every record reached every subscriber. Key: <c>{provider}/{queue}</c>.
/// </summary>
[Alias("efflux.stream-checkpoint")]
public interface IStreamCheckpointGrain : IGrainWithStringKey
{
    /// <summary>Positions by <c>{ns}/{topic}/{partition}</c>.</summary>
    [ReadOnly]
    Task<Dictionary<string, long>> GetAsync();

    /// <summary>Saves positions (each only forwards).</summary>
    Task SaveAsync(Dictionary<string, long> positions);
}
