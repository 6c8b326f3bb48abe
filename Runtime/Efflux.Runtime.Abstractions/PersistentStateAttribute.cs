namespace Efflux.Runtime;

/// <summary>Injects an <see cref="IPersistentState{TState}"/> constructor parameter: the state's name within the grain and the storage provider that keeps it.</summary>
[AttributeUsage(AttributeTargets.Parameter)]
public sealed class PersistentStateAttribute(string stateName, string storageName = PersistentStateAttribute.DefaultStorage) : Attribute
{
    /// <summary>The storage provider name used when none is given.</summary>
    public const string DefaultStorage = "Default";

    /// <summary>The state's name within the grain.</summary>
    public string StateName { get; } = stateName;

    /// <summary>The storage provider's name.</summary>
    public string StorageName { get; } = storageName;
}
