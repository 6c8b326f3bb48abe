namespace Efflux.Processing.Engine;

/// <summary>
/// A compiled attribute reference with a one-entry cache of where the attribute sits in the last schema seen: events of
/// one shape (the usual case) read it by position. The cache is one immutable object swapped whole, so concurrent
/// readers at worst recompute it.
/// </summary>
public sealed class AttributeRef(string name)
{
    private Slot? _slot;

    /// <summary>The attribute name.</summary>
    public string Name { get; } = name;

    /// <summary>Which window bound an unqualified reference to this name means in an aggregate row (decided once).</summary>
    public WindowBound Bound { get; } = name switch
    {
        "window_start" => WindowBound.Start,
        "window_end" => WindowBound.End,
        _ => WindowBound.None,
    };

    /// <summary>The attribute of <paramref name="e"/>, or NULL when it has none.</summary>
    public Value Read(Event? e)
    {
        if (e is null)
        {
            return Value.Null;
        }

        var slot = _slot;
        if (slot is null || !ReferenceEquals(slot.Schema, e.Schema))
        {
            slot = new Slot(e.Schema, e.Schema.IndexOf(Name));
            _slot = slot;
        }

        return slot.Index < 0 ? Value.Null : e.ValueAt(slot.Index);
    }

    private sealed record Slot(EventSchema Schema, int Index);
}
