using System.CommandLine;
using Efflux.Client;

namespace Efflux.Cli.Online;

/// <summary>The <c>--server</c> option and the way every online command connects, runs and reports errors.</summary>
internal static class Server
{
    /// <summary>The environment variable that names the cluster id of the silos (their <c>Efflux:Cluster:Id</c>; default <c>efflux</c>).</summary>
    public const string ClusterIdVariable = "EFFLUX_CLUSTER_ID";

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

            await using var client = await EffluxClient.ConnectAsync(options, cancellationToken);
            return await action(client, cancellationToken);
        }
        catch (Exception ex) when (EffluxException.From(ex) is { } error)
        {
            await Console.Error.WriteLineAsync($"efflux {command}: {error.Message}" + (error.Error == EffluxError.Unavailable ? $" (server {server})" : ""));
            return error.Error == EffluxError.Unavailable ? 2 : 1;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or System.Text.Json.JsonException)
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
