namespace Efflux.Runtime;

/// <summary>A client of a cluster: reaches grains through a silo gateway. Thread-safe.</summary>
public interface IClusterClient : IGrainFactory
{
    /// <summary>True while a gateway connection is up.</summary>
    bool IsConnected { get; }
}
