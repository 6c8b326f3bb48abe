namespace Efflux.Runtime.Invocation;

/// <summary>The result of a grain method that returns no value.</summary>
public readonly record struct None
{
    /// <summary>The value.</summary>
    public static None Value => default;
}
