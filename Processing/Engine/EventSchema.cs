using System.Collections.Concurrent;

namespace Efflux.Processing.Engine;

/// <summary>
/// The attribute names of events, in order, shared by every event with the same names: attribute references resolve a
/// name to a position once per schema instead of once per event. Immutable and thread-safe.
/// </summary>
public sealed class EventSchema
{
    // Inputs with endlessly varying attribute sets stop being interned here; their events still work, only slower.
    private const int MaxInterned = 10_000;
    private static readonly ConcurrentDictionary<string, EventSchema> Interned = new(StringComparer.Ordinal);

    private readonly Dictionary<string, int> _index;

    private EventSchema(string[] names)
    {
        Names = names;
        _index = new Dictionary<string, int>(names.Length, StringComparer.Ordinal);
        for (var i = 0; i < names.Length; i++)
        {
            _index[names[i]] = i;
        }
    }

    /// <summary>The names in input order (a repeated name resolves to its last position).</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>The shared schema for these names.</summary>
    public static EventSchema For(IReadOnlyList<KeyValuePair<string, Value>> attributes)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        var names = new string[attributes.Count];
        for (var i = 0; i < names.Length; i++)
        {
            names[i] = attributes[i].Key;
        }

        var key = string.Join('\0', names);
        if (Interned.TryGetValue(key, out var schema))
        {
            return schema;
        }

        schema = new EventSchema(names);
        return Interned.Count < MaxInterned ? Interned.GetOrAdd(key, schema) : schema;
    }

    /// <summary>True when <paramref name="attributes"/> have exactly these names, in this order.</summary>
    public bool Matches(IReadOnlyList<KeyValuePair<string, Value>> attributes)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        if (attributes.Count != Names.Count)
        {
            return false;
        }

        for (var i = 0; i < attributes.Count; i++)
        {
            if (!string.Equals(attributes[i].Key, Names[i], StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The position of <paramref name="name"/>, or -1.</summary>
    public int IndexOf(string name) => _index.TryGetValue(name, out var i) ? i : -1;
}
