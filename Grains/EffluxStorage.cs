namespace Efflux.Grains;

/// <summary>The grain storage provider that holds topic configurations, namespaces and consumer-group offsets.</summary>
public static class EffluxStorage
{
    /// <summary>Its registration name.</summary>
    public const string Name = "efflux";
}
