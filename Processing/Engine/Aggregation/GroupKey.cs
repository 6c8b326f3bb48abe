namespace Efflux.Processing.Engine.Aggregation;

/// <summary>
/// The GROUP BY values of one group; equal when every value is equal (2 and 2.0 are the same group). A one-column key,
/// the common case, holds its value inline.
/// </summary>
public readonly struct GroupKey : IEquatable<GroupKey>
{
    private readonly Value _single;
    private readonly Value[]? _values;

    /// <summary>A key over these values; a one-column key copies its value, a longer key keeps the array.</summary>
    public GroupKey(Value[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Length == 1)
        {
            _single = values[0];
        }
        else
        {
            _values = values;
        }
    }

    /// <summary>A one-column key.</summary>
    public GroupKey(Value value) => _single = value;

    /// <summary>A key that owns its values (for a scratch key that is about to be stored).</summary>
    public GroupKey Copy() => _values is null ? this : new((Value[])_values.Clone());

    /// <summary>The text of a one-column key whose value is text, else null.</summary>
    public string? LoneText => _values is null && _single.Kind == ValueKind.Text ? _single.AsText : null;

    /// <summary>The value of GROUP BY column <paramref name="index"/>.</summary>
    public Value ValueAt(int index) => _values is null ? _single : _values[index];

    /// <summary>The GROUP BY values.</summary>
    public IReadOnlyList<Value> Values => _values ?? [_single];

    /// <inheritdoc />
    public bool Equals(GroupKey other)
        => _values is null ? other._values is null && _single.Equals(other._single)
        : other._values is not null && _values.AsSpan().SequenceEqual(other._values);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is GroupKey k && Equals(k);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        if (_values is null)
        {
            return _single.GetHashCode();
        }

        var hash = new HashCode();
        foreach (var v in _values)
        {
            hash.Add(v);
        }

        return hash.ToHashCode();
    }

    /// <summary>Equality.</summary>
    public static bool operator ==(GroupKey left, GroupKey right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    public static bool operator !=(GroupKey left, GroupKey right) => !left.Equals(right);
}
