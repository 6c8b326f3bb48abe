namespace Efflux.Processing.Engine;

/// <summary>Integer arithmetic on event times, which may be negative.</summary>
internal static class TimeMath
{
    /// <summary>Division rounding toward negative infinity, so that intervals tile the whole time line.</summary>
    public static long FloorDiv(long a, long b) => (a / b) - ((a % b != 0 && (a < 0) != (b < 0)) ? 1 : 0);
}
