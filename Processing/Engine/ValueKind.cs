namespace Efflux.Processing.Engine;

/// <summary>The types an EffluxQL value can have.</summary>
public enum ValueKind : byte
{
    /// <summary>NULL: a missing attribute, or the result of arithmetic with NULL.</summary>
    Null,

    /// <summary>A whole number: a 64-bit integer.</summary>
    Whole,

    /// <summary>A real number: a 64-bit float.</summary>
    Real,

    /// <summary>A string.</summary>
    Text,

    /// <summary>A boolean.</summary>
    Bool,
}
