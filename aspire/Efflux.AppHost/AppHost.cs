using System.Globalization;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

// The Efflux local cluster: redis-server (membership) and Azurite (grain state) as executables — there is no container
// runtime to run Aspire's Redis and Azure Storage containers — and three silos that form one Orleans cluster, each
// with its own data directory and silo, gateway and HTTP ports. Data lives under .data beside this project (or
// Efflux:DataRoot), so a second run finds it again. Ctrl+C stops everything.
var builder = DistributedApplication.CreateBuilder(args);
var root = Path.GetFullPath(builder.Configuration["Efflux:DataRoot"] ?? Path.Combine(builder.AppHostDirectory, ".data"));
var redisPort = Port("Redis", 16379);
var azuritePort = Port("Azurite", 10010);
Directory.CreateDirectory(Path.Combine(root, "azurite"));

var redisServer = builder.AddExecutable("redis-server", "redis-server", root,
        "--port", Text(redisPort), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no")
    .WithHealthCheck(TcpCheck("redis-server", redisPort));
var azurite = builder.AddExecutable("azurite", "azurite-blob", root,
        "--blobHost", "127.0.0.1", "--blobPort", Text(azuritePort), "--location", Path.Combine(root, "azurite"),
        "--skipApiVersionCheck", "--loose", "--disableTelemetry")
    .WithHealthCheck(TcpCheck("azurite", azuritePort));

var redis = builder.AddConnectionString("redis", ReferenceExpression.Create($"127.0.0.1:{Text(redisPort)}"))
    .WithOrleansProviderType("Redis");
var blobs = builder.AddConnectionString("blobs", ReferenceExpression.Create(
        $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:{Text(azuritePort)}/devstoreaccount1;"))
    .WithOrleansProviderType("AzureBlobStorage");

var orleans = builder.AddOrleans("efflux")
    .WithClusterId("efflux-local")
    .WithServiceId("efflux-local")
    .WithClustering(redis)
    .WithGrainStorage("efflux", blobs);

for (var i = 1; i <= 3; i++)
{
    var name = $"silo{i}";
    var http = Port($"Silo{i}Http", 5080 + i);
    builder.AddProject<Projects.Efflux_Silo>(name, launchProfileName: null)
        .WithReference(orleans)
        .WithHttpEndpoint(port: http, isProxied: false)
        .WithArgs("--urls", $"http://127.0.0.1:{Text(http)}")
        .WithEnvironment("Orleans__Endpoints__AdvertisedIPAddress", "127.0.0.1")
        .WithEnvironment("Efflux__SiloName", name)
        .WithEnvironment("Efflux__DataDirectory", Path.Combine(root, name))
        .WithHttpHealthCheck("/health/ready")
        .WaitFor(redisServer)
        .WaitFor(azurite);
}

builder.Build().Run();

int Port(string name, int fallback)
    => int.TryParse(builder.Configuration[$"Efflux:Ports:{name}"], NumberStyles.None, CultureInfo.InvariantCulture, out var port) ? port : fallback;

static string Text(int port) => port.ToString(CultureInfo.InvariantCulture);

// A health check named after a resource: healthy once its port accepts connections.
string TcpCheck(string resource, int port)
{
    var key = resource + "-listening";
    builder.Services.AddHealthChecks().AddAsyncCheck(key, async cancel =>
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync("127.0.0.1", port, cancel);
            return HealthCheckResult.Healthy();
        }
        catch (SocketException ex)
        {
            return HealthCheckResult.Unhealthy($"nothing listens on 127.0.0.1:{port}", ex);
        }
    });
    return key;
}
