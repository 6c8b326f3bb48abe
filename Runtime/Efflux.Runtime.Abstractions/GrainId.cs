namespace Efflux.Runtime;

/// <summary>
/// The identity of a grain: its type (the alias of its grain interface, stable across renames) and its key. At most one
/// activation of a grain id exists in a cluster at a time. The id carries a hash of both, computed once when it is made,
/// so that placing it and finding its activation cost no pass over the strings.
/// </summary>
public readonly struct GrainId : IEquatable<GrainId>
{
    private const ulong FnvOffset = 14695981039346656037UL;

    /// <summary>An id of <paramref name="type"/> (the interface alias) and <paramref name="key"/>.</summary>
    public GrainId(string type, string key)
    {
        Type = type;
        Key = key;
        StableHash = StableHashOf(StableHashOf(StableHashOf(FnvOffset, type), "/"), key);
    }

    /// <summary>The grain type: the interface alias.</summary>
    public string Type { get; }

    /// <summary>The key within the type.</summary>
    public string Key { get; }

    /// <summary>FNV-1a over "type/key": the same in every process and every run (unlike string.GetHashCode).</summary>
    public ulong StableHash { get; }

    /// <summary>FNV-1a of <paramref name="text"/>'s characters from the FNV offset basis.</summary>
    public static ulong StableHashOf(string text) => StableHashOf(FnvOffset, text);

    /// <summary>Same type and key.</summary>
    public static bool operator ==(GrainId left, GrainId right) => left.Equals(right);

    /// <summary>Another type or key.</summary>
    public static bool operator !=(GrainId left, GrainId right) => !left.Equals(right);

    /// <summary>Same type and key (ordinal).</summary>
    public bool Equals(GrainId other)
        => StableHash == other.StableHash && string.Equals(Type, other.Type, StringComparison.Ordinal) && string.Equals(Key, other.Key, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is GrainId other && Equals(other);

    /// <summary>From <see cref="StableHash"/>.</summary>
    public override int GetHashCode() => (int)(StableHash ^ (StableHash >> 32));

    /// <summary>"type/key".</summary>
    public override string ToString() => $"{Type}/{Key}";

    private static ulong StableHashOf(ulong hash, string? text)
    {
        foreach (var c in text ?? string.Empty)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        return hash;
    }
}
