namespace Efflux.Runtime.Storage;

/// <summary>The conditional-write rule every provider applies, with one wording of the conflict.</summary>
internal static class EtagCheck
{
    public static void Require(GrainId grainId, string stateName, string? stored, string? expected)
    {
        if (!string.Equals(stored, expected, StringComparison.Ordinal))
        {
            throw new InconsistentStateException(
                $"State '{stateName}' of {grainId} changed since it was read (stored version {stored ?? "none"}, expected {expected ?? "none"}): read it again before writing.",
                stored,
                expected);
        }
    }
}
