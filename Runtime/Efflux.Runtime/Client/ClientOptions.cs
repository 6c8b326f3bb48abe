namespace Efflux.Runtime.Client;

/// <summary>Settings of a cluster client.</summary>
public sealed class ClientOptions
{
    /// <summary>Silo endpoints ("host:port") to use as gateways, tried in order.</summary>
    public IList<string> Gateways { get; } = [];

    /// <summary>A call without a response for this long fails with <see cref="GrainCallTimeoutException"/>.</summary>
    public TimeSpan CallTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
