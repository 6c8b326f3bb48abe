namespace Efflux.Grains;

/// <summary>The persisted names of an <see cref="INameSetGrain"/>.</summary>
public interface INameSetState
{
    /// <summary>The names, kept sorted (ordinal).</summary>
    List<string> Names { get; }
}

/// <summary>The persisted names of a namespace catalog or group catalog.</summary>
[GenerateSerializer]
[Alias("efflux.NameSetState")]
public sealed class NameSetState : INameSetState
{
    /// <summary>The names, sorted.</summary>
    [Id(0)] public List<string> Names { get; set; } = [];
}

/// <summary>One implementation of a durable sorted name set; each catalog grain only names its state.</summary>
internal abstract class NameSetGrain<TState>(IPersistentState<TState> state) : Grain, INameSetGrain
    where TState : INameSetState
{
    /// <summary>The persisted state (written by <see cref="AddAsync"/> and <see cref="RemoveAsync"/>).</summary>
    protected TState State => state.State;

    public Task<List<string>> ListAsync() => Task.FromResult(state.State.Names.ToList());

    public async Task AddAsync(string name)
    {
        var at = state.State.Names.BinarySearch(name, StringComparer.Ordinal);
        if (at < 0)
        {
            state.State.Names.Insert(~at, name);
            await state.WriteStateAsync();
            await OnChangedAsync(state.State.Names.Count);
        }
    }

    public async Task RemoveAsync(string name)
    {
        if (state.State.Names.Remove(name))
        {
            await state.WriteStateAsync();
            await OnChangedAsync(state.State.Names.Count);
        }
    }

    /// <summary>Runs after a change is stored, inside the same turn, with the new number of names.</summary>
    protected virtual Task OnChangedAsync(int count) => Task.CompletedTask;
}

/// <summary>The namespaces that hold topics.</summary>
[GrainType("efflux.namespaces")]
internal sealed class NamespaceCatalogGrain([PersistentState("namespaces", EffluxStorage.Name)] IPersistentState<NameSetState> state)
    : NameSetGrain<NameSetState>(state), INamespaceCatalogGrain;

/// <summary>The consumer groups of a topic.</summary>
[GrainType("efflux.groups")]
internal sealed class GroupCatalogGrain([PersistentState("groups", EffluxStorage.Name)] IPersistentState<NameSetState> state)
    : NameSetGrain<NameSetState>(state), IGroupCatalogGrain;
