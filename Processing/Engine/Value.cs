using System.Globalization;

namespace Efflux.Processing.Engine;

/// <summary>
/// One EffluxQL value, without boxing for numbers and booleans. Semantics (EFFLUXQL.md): arithmetic with NULL gives NULL,
/// a comparison with NULL is false, integer / integer gives a float, division by zero gives NULL.
/// </summary>
public readonly struct Value : IEquatable<Value>
{
    private readonly long _bits;
    private readonly string? _text;

    private Value(ValueKind kind, long bits, string? text)
    {
        Kind = kind;
        _bits = bits;
        _text = text;
    }

    /// <summary>NULL.</summary>
    public static Value Null => default;

    /// <summary>The value's type.</summary>
    public ValueKind Kind { get; }

    /// <summary>True for NULL.</summary>
    public bool IsNull => Kind == ValueKind.Null;

    /// <summary>True for an integer or a float.</summary>
    public bool IsNumber => Kind is ValueKind.Whole or ValueKind.Real;

    /// <summary>The integer (valid when <see cref="Kind"/> is Whole).</summary>
    public long AsLong => _bits;

    /// <summary>The number as a float (valid for Whole and Real).</summary>
    public double AsDouble => Kind == ValueKind.Whole ? _bits : BitConverter.Int64BitsToDouble(_bits);

    /// <summary>The string (valid for Text).</summary>
    public string AsText => _text ?? string.Empty;

    /// <summary>The boolean (valid for Bool).</summary>
    public bool AsBool => _bits != 0;

    /// <summary>True only for the boolean TRUE (NULL and everything else count as false in conditions).</summary>
    public bool IsTrue => Kind == ValueKind.Bool && _bits != 0;

    /// <summary>An integer value.</summary>
    public static Value From(long value) => new(ValueKind.Whole, value, null);

    /// <summary>A float value; NaN and infinities become NULL.</summary>
    public static Value From(double value) => double.IsFinite(value) ? new(ValueKind.Real, BitConverter.DoubleToInt64Bits(value), null) : Null;

    /// <summary>A string value (null gives NULL).</summary>
    public static Value From(string? value) => value is null ? Null : new(ValueKind.Text, 0, value);

    /// <summary>A boolean value.</summary>
    public static Value From(bool value) => new(ValueKind.Bool, value ? 1 : 0, null);

    /// <summary>Converts a literal from the syntax tree.</summary>
    public static Value FromLiteral(object? literal) => literal switch
    {
        null => Null,
        long l => From(l),
        double d => From(d),
        string s => From(s),
        bool b => From(b),
        _ => throw new ArgumentException($"Unsupported literal {literal.GetType().Name}.", nameof(literal)),
    };

    /// <summary>Orders two non-null values of comparable kinds; null when they cannot be compared (NULL or mixed kinds).</summary>
    public static int? Compare(Value a, Value b)
    {
        if (a.IsNull || b.IsNull)
        {
            return null;
        }

        if (a.Kind == ValueKind.Whole && b.Kind == ValueKind.Whole)
        {
            return a._bits.CompareTo(b._bits);
        }

        if (a.IsNumber && b.IsNumber)
        {
            return a.AsDouble.CompareTo(b.AsDouble);
        }

        if (a.Kind == ValueKind.Text && b.Kind == ValueKind.Text)
        {
            return string.CompareOrdinal(a._text, b._text);
        }

        if (a.Kind == ValueKind.Bool && b.Kind == ValueKind.Bool)
        {
            return a._bits.CompareTo(b._bits);
        }

        return null;
    }

    /// <inheritdoc />
    public bool Equals(Value other) => Kind switch
    {
        ValueKind.Null => other.IsNull,
        ValueKind.Text => other.Kind == ValueKind.Text && string.Equals(_text, other._text, StringComparison.Ordinal),
        _ => Compare(this, other) == 0,
    };

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is Value v && Equals(v);

    /// <inheritdoc />
    public override int GetHashCode() => Kind switch
    {
        ValueKind.Null => 0,
        ValueKind.Text => _text!.GetHashCode(),

        // An integral float hashes like the integer it equals, so 2 and 2.0 land in one group.
        ValueKind.Real when AsDouble == Math.Floor(AsDouble) && Math.Abs(AsDouble) < 9e18 => ((long)AsDouble).GetHashCode(),
        _ => _bits.GetHashCode(),
    };

    /// <summary>Equality as grouping needs it.</summary>
    public static bool operator ==(Value left, Value right) => left.Equals(right);

    /// <summary>Inequality as grouping needs it.</summary>
    public static bool operator !=(Value left, Value right) => !left.Equals(right);

    /// <inheritdoc />
    public override string ToString() => Kind switch
    {
        ValueKind.Null => "NULL",
        ValueKind.Whole => _bits.ToString(CultureInfo.InvariantCulture),
        ValueKind.Real => AsDouble.ToString("R", CultureInfo.InvariantCulture),
        ValueKind.Bool => AsBool ? "true" : "false",
        _ => _text!,
    };
}
