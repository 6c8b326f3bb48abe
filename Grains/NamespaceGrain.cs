namespace Efflux.Grains;

/// <summary>The persisted topic names of a namespace.</summary>
[GenerateSerializer]
[Alias("efflux.NamespaceState")]
public sealed class NamespaceState : INameSetState
{
    /// <summary>Topic names, sorted.</summary>
    [Id(0)] public List<string> Topics { get; set; } = [];

    List<string> INameSetState.Names => Topics;
}

/// <summary>
/// Lists the topics of one namespace, and keeps the namespace catalog in step: the namespace is listed there from its
/// first topic to the deletion of its last (a grain turn at a time, so a create and a delete cannot cross).
/// </summary>
[GrainType("efflux.namespace")]
internal sealed class NamespaceGrain([PersistentState("namespace", EffluxStorage.Name)] IPersistentState<NamespaceState> state)
    : NameSetGrain<NamespaceState>(state), INamespaceGrain
{
    protected override Task OnChangedAsync(int count)
    {
        var catalog = GrainFactory.GetGrain<INamespaceCatalogGrain>(INamespaceCatalogGrain.Key);
        return count switch
        {
            0 => catalog.RemoveAsync(this.GetPrimaryKeyString()),
            1 => catalog.AddAsync(this.GetPrimaryKeyString()),
            _ => Task.CompletedTask,
        };
    }
}
