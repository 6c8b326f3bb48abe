using System.CommandLine;
using System.Security.Cryptography.X509Certificates;
using Efflux.Client;

namespace Efflux.Cli.Online;

/// <summary>The <c>--server</c> option and the way every online command connects, runs and reports errors.</summary>
internal static class Server
{
    /// <summary>The environment variable that names the cluster id of the silos (their <c>Efflux:Cluster:Id</c>; default <c>efflux</c>).</summary>
    public const string ClusterIdVariable = "EFFLUX_CLUSTER_ID";

    /// <summary>The environment variable that holds the API key (kept off the command line, where other users could see it).</summary>
    public const string ApiKeyVariable = "EFFLUX_API_KEY";

    /// <summary>The environment variable that names the client certificate (.pfx) for silos that use TLS.</summary>
    public const string CertificateVariable = "EFFLUX_CLIENT_CERT";

    /// <summary>The environment variable that holds the client certificate's password.</summary>
    public const string CertificatePasswordVariable = "EFFLUX_CLIENT_CERT_PASSWORD";

    /// <summary>The environment variable that names the authority certificate the silos' certificates are issued by.</summary>
    public const string AuthorityVariable = "EFFLUX_TLS_AUTHORITY";

    public static Option<string> Option() => new("--server", "-s")
    {
        Description = "Gateway of any silo (host:port, comma-separated for several)",
        DefaultValueFactory = _ => EffluxClientOptions.LocalGateway,
    };

    /// <summary>Connects, runs <paramref name="action"/>, and turns failures into a message and an exit code (1: the request failed, 2: no silo).</summary>
    public static async Task<int> RunAsync(string server, string command, Func<EffluxClient, CancellationToken, Task<int>> action, CancellationToken cancellationToken)
    {
        try
        {
            var options = new EffluxClientOptions();
            foreach (var gateway in server.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                options.Gateways.Add(gateway);
            }

            if (Environment.GetEnvironmentVariable(ClusterIdVariable) is { Length: > 0 } clusterId)
            {
                options.ClusterId = clusterId;
            }

            options.ApiKey = Environment.GetEnvironmentVariable(ApiKeyVariable);
            if (Environment.GetEnvironmentVariable(CertificateVariable) is { Length: > 0 } certificate)
            {
                options.ClientCertificate = X509CertificateLoader.LoadPkcs12FromFile(certificate, Environment.GetEnvironmentVariable(CertificatePasswordVariable));
                options.ServerAuthority = Environment.GetEnvironmentVariable(AuthorityVariable) is { Length: > 0 } authority ? X509CertificateLoader.LoadCertificateFromFile(authority) : null;
            }

            options.Throttled = wait => Console.Error.WriteLine($"efflux {command}: waiting {wait.Wait.TotalSeconds:0.###} s: {wait.Reason}");

            await using var client = await EffluxClient.ConnectAsync(options, cancellationToken);
            return await action(client, cancellationToken);
        }
        catch (Exception ex) when (EffluxException.From(ex) is { } error)
        {
            await Console.Error.WriteLineAsync($"efflux {command}: {error.Message}" + (error.Error == EffluxError.Unavailable ? $" (server {server})" : ""));
            return error.Error == EffluxError.Unavailable ? 2 : 1;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or System.Text.Json.JsonException or System.Security.Cryptography.CryptographicException)
        {
            await Console.Error.WriteLineAsync($"efflux {command}: {ex.Message}");
            return 2;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return 0;
        }
    }

    /// <summary>Splits <c>ns/topic</c>.</summary>
    public static (string Namespace, string Topic) Topic(string text)
    {
        var parts = text.Split('/');
        return parts.Length == 2 ? (parts[0], parts[1]) : throw new EffluxException(EffluxError.InvalidRequest, $"'{text}' is not namespace/topic.");
    }

    public static Argument<string> TopicArgument() => new("topic") { Description = "namespace/topic" };
}
