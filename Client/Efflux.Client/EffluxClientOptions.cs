using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Orleans.Connections.Security;
using Orleans.Configuration;
using Microsoft.Extensions.Hosting;

namespace Efflux.Client;

/// <summary>Where the client connects and how long it waits.</summary>
public sealed class EffluxClientOptions
{
    /// <summary>Silo gateway endpoints (<c>host:port</c>); calls are spread over those that answer. Default: the local silo.</summary>
    public IList<string> Gateways { get; } = [];

    /// <summary>
    /// StackExchange.Redis configuration of the cluster's membership table (cluster mode): the client finds the
    /// gateways there and follows silos as they come and go. Set it instead of <see cref="Gateways"/>.
    /// </summary>
    public string? Redis { get; set; }

    /// <summary>The cluster id the silos were started with (<c>Efflux:Cluster:Id</c>).</summary>
    public string ClusterId { get; set; } = "efflux";

    /// <summary>A call without an answer in this time fails with <see cref="EffluxError.Unavailable"/>.</summary>
    public TimeSpan CallTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Largest call or answer on the wire (Orleans' message body limit); match the silos' <c>Efflux:MaxCallBytes</c>.</summary>
    public int MaxCallBytes { get; set; } = 65 << 20;

    /// <summary>How long connecting keeps trying gateways that refuse or drop the connection before it gives up.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Calls of single appends (<see cref="TopicClient.AppendAsync"/>) to one topic that may be unanswered at once;
    /// appends made beyond it wait and then go together, one call per answer (see <see cref="TopicClient.AppendAsync"/>).
    /// </summary>
    public int AppendCallsInFlight
    {
        get => _appendCallsInFlight;
        set => _appendCallsInFlight = value >= 1 ? value : throw new EffluxException(EffluxError.InvalidRequest, "AppendCallsInFlight must be at least 1.");
    }

    private int _appendCallsInFlight = 4;

    /// <summary>The API key (<c>efx_…</c>) sent with every call, for silos that require one (<c>Efflux:Auth</c>).</summary>
    public string? ApiKey { get; set; }

    /// <summary>
    /// TLS to the gateways, for silos that use it (<c>Efflux:Tls</c>): the client's certificate, with its private key,
    /// issued by the authority the silos trust.
    /// </summary>
    public X509Certificate2? ClientCertificate { get; set; }

    /// <summary>The authority that issued the silos' certificates; null: the system's trusted roots.</summary>
    public X509Certificate2? ServerAuthority { get; set; }

    /// <summary>How long, in all, a call refused for a rate limit keeps waiting and trying again before it fails with <see cref="EffluxError.Throttled"/>.</summary>
    public TimeSpan MaxThrottleWait { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Told of each wait for a rate limit, before the client waits (for logs and metrics).</summary>
    public Action<ThrottledCall>? Throttled { get; set; }

    /// <summary>The local silo's gateway.</summary>
    public const string LocalGateway = "127.0.0.1:30000";

    /// <summary>Applies these options to an Orleans client.</summary>
    /// <exception cref="EffluxException">A gateway is not <c>host:port</c>.</exception>
    public void Configure(IClientBuilder client)
    {
        ArgumentNullException.ThrowIfNull(client);
        if (!string.IsNullOrWhiteSpace(Redis))
        {
            client.UseRedisClustering(Redis);
        }
        else
        {
            client.UseStaticClustering([.. (Gateways.Count == 0 ? [LocalGateway] : Gateways).Select(Endpoint)]);
        }

        client.Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (ClusterId, ClusterId));
        client.Configure<ClientMessagingOptions>(o =>
        {
            o.ResponseTimeout = CallTimeout;
            o.MaxMessageBodySize = MaxCallBytes;
        });
        client.UseConnectionRetryFilter(new ConnectRetry(ConnectTimeout));
        GatewayTransport.Use(client);
        client.AddOutgoingGrainCallFilter(new ClientCallFilter(this));
        if (ClientCertificate is { } certificate)
        {
            var authority = ServerAuthority;
            client.UseTls(certificate, tls =>
            {
                tls.RemoteCertificateMode = RemoteCertificateMode.RequireCertificate;
                tls.RemoteCertificateValidation = (presented, chain, errors) => authority is null ? errors == SslPolicyErrors.None : CertificateChains.IssuedBy(presented, authority);
            });
        }
    }

    /// <summary>Retries a refused connection every half second until the connect timeout has passed.</summary>
    private sealed class ConnectRetry(TimeSpan timeout) : IClientConnectionRetryFilter
    {
        private long _first;

        public async Task<bool> ShouldRetryConnectionAttempt(Exception exception, CancellationToken cancellationToken)
        {
            Interlocked.CompareExchange(ref _first, System.Diagnostics.Stopwatch.GetTimestamp(), 0);
            if (System.Diagnostics.Stopwatch.GetElapsedTime(Interlocked.Read(ref _first)) >= timeout || exception is not (OrleansMessageRejectionException or Orleans.Runtime.Messaging.ConnectionFailedException))
            {
                return false;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken).ConfigureAwait(false);
            return true;
        }
    }

    private static IPEndPoint Endpoint(string gateway)
    {
        var colon = gateway.LastIndexOf(':');
        if (colon > 0 && int.TryParse(gateway.AsSpan(colon + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port) && port is > 0 and < 65536)
        {
            var host = gateway[..colon].Trim('[', ']');
            if (IPAddress.TryParse(host, out var address))
            {
                return new IPEndPoint(address, port);
            }

            if (Dns.GetHostAddresses(host) is [var first, ..])
            {
                return new IPEndPoint(first, port);
            }
        }

        throw new EffluxException(EffluxError.InvalidRequest, $"'{gateway}' is not a gateway endpoint (host:port).");
    }
}
