namespace Efflux.Client;

/// <summary>Where the client connects and how long it waits.</summary>
public sealed class EffluxClientOptions
{
    /// <summary>Silo gateway endpoints (<c>host:port</c>); the first that answers is used, the others on failure. Default: the local silo.</summary>
    public IList<string> Gateways { get; } = [];

    /// <summary>A call without an answer in this time fails with <see cref="Efflux.Runtime.GrainCallTimeoutException"/>.</summary>
    public TimeSpan CallTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The local silo's gateway.</summary>
    public const string LocalGateway = "127.0.0.1:30000";
}
