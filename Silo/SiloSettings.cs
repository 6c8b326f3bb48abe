namespace Efflux.Silo;

/// <summary>Host settings of the silo under the <c>Efflux</c> section (the grains' own settings are in EffluxOptions).</summary>
internal sealed class SiloSettings
{
    /// <summary>The runtime port: silo-to-silo traffic and SDK clients.</summary>
    public int GatewayPort { get; set; } = 30000;

    /// <summary>Cluster mode: Redis membership and grain directory.</summary>
    public ClusterSettings Cluster { get; set; } = new();

    /// <summary>Where topic configurations and consumer-group offsets are kept.</summary>
    public GrainStorageSettings GrainStorage { get; set; } = new();
}

/// <summary><c>Efflux:Cluster</c>.</summary>
internal sealed class ClusterSettings
{
    /// <summary>StackExchange.Redis configuration string (e.g. <c>127.0.0.1:6379</c>); empty: a cluster of this silo alone.</summary>
    public string? Redis { get; set; }

    /// <summary>Silos with the same id form one cluster.</summary>
    public string Id { get; set; } = "efflux";
}

/// <summary><c>Efflux:GrainStorage</c>.</summary>
internal sealed class GrainStorageSettings
{
    /// <summary><c>file</c> (default), <c>memory</c> or <c>azureblob</c>.</summary>
    public string Provider { get; set; } = "file";

    /// <summary>For <c>file</c>: the directory (default <c>{DataDirectory}/@grains</c>; silos of one cluster share it).</summary>
    public string? Directory { get; set; }

    /// <summary>For <c>azureblob</c>: the storage connection string.</summary>
    public string? ConnectionString { get; set; }
}
