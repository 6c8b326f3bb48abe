namespace Efflux.Grains.Streams;

/// <summary>The persisted positions of a stream queue.</summary>
[GenerateSerializer]
[Alias("efflux.StreamCheckpointState")]
public sealed class StreamCheckpointState
{
    /// <summary>Offsets by <c>{ns}/{topic}/{partition}</c>.</summary>
    [Id(0)] public Dictionary<string, long> Positions { get; set; } = [];
}

/// <summary>Keeps the positions of one stream queue.</summary>
[GrainType("efflux.stream-checkpoint")]
internal sealed class StreamCheckpointGrain([PersistentState("checkpoint", EffluxStorage.Name)] IPersistentState<StreamCheckpointState> state) : Grain, IStreamCheckpointGrain
{
    public Task<Dictionary<string, long>> GetAsync() => Task.FromResult(new Dictionary<string, long>(state.State.Positions));

    public async Task SaveAsync(Dictionary<string, long> positions)
    {
        ArgumentNullException.ThrowIfNull(positions);
        var changed = false;
        foreach (var (key, offset) in positions)
        {
            if (!state.State.Positions.TryGetValue(key, out var saved) || saved < offset)
            {
                state.State.Positions[key] = offset;
                changed = true;
            }
        }

        if (changed)
        {
            await state.WriteStateAsync();
        }
    }
}
