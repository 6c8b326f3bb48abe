namespace Efflux.Runtime;

/// <summary>
/// The identity of a grain: its type (the alias of its grain interface, stable across renames) and its key. At most one
/// activation of a grain id exists in a cluster at a time.
/// </summary>
/// <param name="Type">The grain type: the interface alias.</param>
/// <param name="Key">The key within the type.</param>
public readonly record struct GrainId(string Type, string Key)
{
    /// <summary>"type/key".</summary>
    public override string ToString() => $"{Type}/{Key}";
}
