namespace Efflux.Processing.Engine.Aggregation;

/// <summary>
/// What an emitted aggregate row is evaluated against: the group's first event in the window (grouped attributes are
/// equal across the group), its GROUP BY key, the aggregate results, and the window bounds.
/// </summary>
public sealed class GroupScope : IScope
{
    /// <summary>Per GROUP BY column, its attribute name when the column is a bare attribute, else null.</summary>
    public IReadOnlyList<string?> KeyNames { get; set; } = [];

    /// <summary>The group's GROUP BY values.</summary>
    public GroupKey Key { get; set; }

    /// <summary>The group's first event in the window.</summary>
    public Event? Representative { get; set; }

    /// <summary>The aggregate results, by aggregate index.</summary>
    public Value[] Results { get; set; } = [];

    /// <summary>window_start, epoch ms.</summary>
    public long WindowStart { get; set; }

    /// <summary>window_end, epoch ms.</summary>
    public long WindowEnd { get; set; }

    /// <inheritdoc />
    public Value Resolve(string? qualifier, AttributeRef attribute) => (qualifier, attribute.Bound) switch
    {
        (null, WindowBound.Start) => Value.From(WindowStart),
        (null, WindowBound.End) => Value.From(WindowEnd),
        _ => TryKey(attribute, out var value) ? value : attribute.Read(Representative),
    };

    /// <summary>
    /// GROUP BY column <paramref name="column"/>, the bare attribute <paramref name="attribute"/>: from the key, which is
    /// at hand, instead of from the representative event, which has long left the cache. Only a text, boolean or NULL key
    /// value is taken: equal numbers may differ in kind (2 and 2.0 are one group), and a number is read from the
    /// representative as it came.
    /// </summary>
    public Value Grouped(int column, AttributeRef attribute)
    {
        var value = Key.ValueAt(column);
        return value.Kind is ValueKind.Text or ValueKind.Bool or ValueKind.Null ? value : attribute.Read(Representative);
    }

    private bool TryKey(AttributeRef attribute, out Value value)
    {
        for (var i = 0; i < KeyNames.Count; i++)
        {
            if (string.Equals(KeyNames[i], attribute.Name, StringComparison.Ordinal))
            {
                value = Grouped(i, attribute);
                return true;
            }
        }

        value = default;
        return false;
    }
}
