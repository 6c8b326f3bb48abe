namespace Efflux.Runtime.Invocation;

/// <summary>How a grain method may be scheduled and answered.</summary>
[Flags]
public enum CallFlags
{
    /// <summary>An ordinary call: one turn at a time.</summary>
    None = 0,

    /// <summary>[ReadOnly]: may interleave with other read-only calls.</summary>
    ReadOnly = 1,

    /// <summary>[AlwaysInterleave]: may interleave with anything.</summary>
    AlwaysInterleave = 2,

    /// <summary>[OneWay]: the caller does not wait for a response.</summary>
    OneWay = 4,
}
