namespace Efflux.Processing.Runtime.Aggregation;

/// <summary>The GROUP BY values of one group; equal when every value is equal (2 and 2.0 are the same group).</summary>
public readonly struct GroupKey(Value[] values) : IEquatable<GroupKey>
{
    private readonly Value[] _values = values;

    /// <summary>A key that owns a copy of the values (for a scratch key that is about to be stored).</summary>
    public GroupKey Copy() => new((Value[])_values.Clone());

    /// <summary>The GROUP BY values.</summary>
    public IReadOnlyList<Value> Values => _values;

    /// <inheritdoc />
    public bool Equals(GroupKey other) => _values.AsSpan().SequenceEqual(other._values);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is GroupKey k && Equals(k);

    /// <inheritdoc />
    public override int GetHashCode()
    {
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
