using System.ComponentModel.DataAnnotations;
using Efflux.Silo.Ui;

namespace Efflux.Silo;

/// <summary>Host settings of the silo under the <c>Efflux</c> section (the grains' own settings are in EffluxOptions).</summary>
internal sealed class SiloSettings
{
    /// <summary>The silo-to-silo port.</summary>
    /// <value>Default 11111; 1 to 65535.</value>
    [Range(1, 65535, ErrorMessage = "Efflux:SiloPort must be 1 to 65535.")]
    public int SiloPort { get; set; } = 11111;

    /// <summary>The gateway port: SDK and CLI clients connect here.</summary>
    /// <value>Default 30000; 1 to 65535.</value>
    [Range(1, 65535, ErrorMessage = "Efflux:GatewayPort must be 1 to 65535.")]
    public int GatewayPort { get; set; } = 30000;

    /// <summary>
    /// The silo's stable name: partitions created while it is active may be kept here, and they are placed here by this
    /// name after every restart.
    /// </summary>
    /// <value>Default: the host name, a dash and the silo port.</value>
    public string? SiloName { get; set; }

    /// <summary>Cluster mode: Redis membership.</summary>
    public ClusterSettings Cluster { get; set; } = new();

    /// <summary>Where topic configurations, namespaces and consumer-group offsets are kept.</summary>
    public GrainStorageSettings GrainStorage { get; set; } = new();

    /// <summary>The Orleans dashboard at <c>/dashboard</c>.</summary>
    public DashboardSettings Dashboard { get; set; } = new();

    /// <summary>The Efflux pages at <c>/ui</c>.</summary>
    public UiSettings Ui { get; set; } = new();

    /// <summary>TLS with client certificates on the gateway and between silos.</summary>
    public TlsSettings Tls { get; set; } = new();

    /// <summary>Checks every setting and section against its rules; the exception's message names the key.</summary>
    /// <exception cref="ValidationException">A setting is out of its range.</exception>
    public void Validate()
    {
        foreach (var section in new object[] { this, Cluster, GrainStorage, Dashboard, Ui, Tls })
        {
            Validator.ValidateObject(section, new ValidationContext(section), validateAllProperties: true);
        }
    }

    /// <summary>The name the silo goes by.</summary>
    public string StableName => string.IsNullOrWhiteSpace(SiloName) ? $"{Environment.MachineName}-{SiloPort}" : SiloName;
}

/// <summary><c>Efflux:Cluster</c>.</summary>
internal sealed class ClusterSettings
{
    /// <summary>StackExchange.Redis configuration string (e.g. <c>127.0.0.1:6379</c>); empty: a cluster of this silo alone.</summary>
    /// <value>Default empty.</value>
    public string? Redis { get; set; }

    /// <summary>Silos with the same id form one cluster (also the Orleans service id).</summary>
    /// <value>Default <c>efflux</c>.</value>
    public string Id { get; set; } = "efflux";
}

/// <summary><c>Efflux:GrainStorage</c>.</summary>
internal sealed class GrainStorageSettings
{
    /// <summary><c>file</c>, <c>memory</c> or <c>azureblob</c>.</summary>
    /// <value>Default <c>file</c>.</value>
    [RegularExpression("(?i)^(file|memory|azureblob)$", ErrorMessage = "Efflux:GrainStorage:Provider must be file, memory or azureblob.")]
    public string Provider { get; set; } = "file";

    /// <summary>For <c>file</c>: the directory.</summary>
    /// <value>Default <c>{DataDirectory}/@state</c>.</value>
    public string? Directory { get; set; }

    /// <summary>For <c>azureblob</c>: the storage connection string.</summary>
    /// <value>No default; required for <c>azureblob</c>.</value>
    public string? ConnectionString { get; set; }

    /// <summary>For <c>azureblob</c>: the blob container.</summary>
    /// <value>Default <c>efflux-grains</c>.</value>
    public string Container { get; set; } = "efflux-grains";
}

/// <summary><c>Efflux:Dashboard</c>.</summary>
internal sealed class DashboardSettings
{
    /// <summary>Serve the Orleans dashboard (it profiles every grain call; switch it off for benchmarks).</summary>
    /// <value>Default true.</value>
    public bool Enabled { get; set; } = true;
}

/// <summary>
/// <c>Efflux:Tls</c>: when a certificate is set, every gateway and silo-to-silo connection is TLS, and the other end
/// must present a certificate issued by <see cref="Authority"/> (clients and silos alike).
/// </summary>
internal sealed class TlsSettings
{
    /// <summary>The silo's certificate with its private key: a PKCS#12 (.pfx) file.</summary>
    /// <value>Default none (no TLS).</value>
    public string? Certificate { get; set; }

    /// <summary>The password of <see cref="Certificate"/>.</summary>
    /// <value>Default none.</value>
    public string? Password { get; set; }

    /// <summary>The certificate (PEM or DER) of the authority that issues client and silo certificates; without it, the system's trusted roots.</summary>
    /// <value>Default none.</value>
    public string? Authority { get; set; }
}
