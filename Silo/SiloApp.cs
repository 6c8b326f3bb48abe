using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Efflux.Client;
using Efflux.Grains;
using Efflux.Grains.Security;
using Efflux.Grains.Streams;
using Efflux.Silo.Api;
using Efflux.Silo.Security;
using Efflux.Silo.Ui;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Connections.Security;
using Orleans.Dashboard;

namespace Efflux.Silo;

/// <summary>Builds the silo: an Orleans silo with the Efflux grains, the REST facade, OpenAPI, health and the Orleans dashboard.</summary>
public static partial class SiloApp
{
    private const string ReloadVariable = "DOTNET_hostBuilder__reloadConfigOnChange";

    /// <summary>Builds the application from command-line arguments (and appsettings/environment as usual).</summary>
    public static WebApplication Build(string[] args)
    {
        // No configuration reload (unless asked for): it watches the whole content root, and the data directory usually
        // lies inside it, so every append would wake a file watcher. Settings are read once, at start. Only the
        // environment variable reaches the host builder early enough.
        if (Environment.GetEnvironmentVariable(ReloadVariable) is null)
        {
            Environment.SetEnvironmentVariable(ReloadVariable, "false");
        }

        var builder = WebApplication.CreateBuilder(args);
        builder.AddServiceDefaults();
        var settings = builder.Configuration.GetSection(EffluxOptions.Section).Get<SiloSettings>() ?? new SiloSettings();
        settings.Validate();
        var auth = builder.Configuration.GetSection(AuthOptions.Section).Get<AuthOptions>() ?? new AuthOptions();
        auth.Validate();
        builder.UseOrleans(silo => ConfigureSilo(silo, settings, builder.Configuration));
        builder.Services.AddEffluxAuthentication(auth);
        builder.Services.AddEffluxLimits();
        builder.Services.AddOptions<KestrelServerOptions>().Configure<IOptions<EffluxOptions>>((kestrel, efflux) => kestrel.Limits.MaxRequestBodySize = efflux.Value.MaxRequestBytes);
        builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = c =>
            c.ProblemDetails.Detail ??= $"{c.HttpContext.Request.Method} {c.HttpContext.Request.Path} answered {c.ProblemDetails.Status}: see docs/API.md for the routes.");
        builder.Services.AddExceptionHandler<ProblemHandler>();
        builder.Services.AddOpenApi(OpenApiSecurity.Describe);
        builder.Services.AddSingleton(Options.Create(settings.Ui));
        builder.Services.AddSingleton<UiAssets>();
        builder.Services.AddSingleton<UiSampler>();
        builder.Services.AddHealthChecks().AddCheck<SiloHealth>("silo", tags: ["ready"]);
        // A query or header argument that does not bind (from=abc) is a 400 problem that names it, not an empty 400.
        builder.Services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull);

        var app = builder.Build();
        if (Exposure.Refused(builder.Configuration, auth) is [_, ..] exposed)
        {
            var why = $"The silo would listen on {string.Join(", ", exposed)} without authentication, so anyone who reaches it could read, write and delete everything. Configure Efflux:Auth:Keys, Efflux:Auth:KeyFile or Efflux:Auth:Jwt, bind to loopback, or set Efflux:Auth:AllowAnonymous=true to accept that.";
            LogRefused(app.Logger, why);
            throw new InvalidOperationException(why);
        }

        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseEffluxAccess();
        if (app.Services.GetRequiredService<Quotas>().Limiter is not null)
        {
            // Only with rates set: the middleware keeps a limiter of its own, with its timer, even without policies.
            app.UseRateLimiter();
        }

        app.MapOpenApi();
        app.UseSwaggerUI(o =>
        {
            o.SwaggerEndpoint("/openapi/v1.json", "Efflux");
            o.RoutePrefix = "swagger";
        });
        // Health answers GET and HEAD only (another method is a 405, not a health answer).
        var readOnly = new HttpMethodMetadata([HttpMethods.Get, HttpMethods.Head]);
        app.MapHealthChecks("/health/live", new Microsoft.AspNetCore.Diagnostics.HealthChecks.HealthCheckOptions { Predicate = _ => false }).WithMetadata(readOnly);
        app.MapHealthChecks("/health/ready", new Microsoft.AspNetCore.Diagnostics.HealthChecks.HealthCheckOptions
        {
            Predicate = c => c.Tags.Contains("ready"),
            ResultStatusCodes = { [HealthStatus.Healthy] = StatusCodes.Status200OK, [HealthStatus.Degraded] = StatusCodes.Status503ServiceUnavailable, [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable },
            ResponseWriter = HealthResponse.WriteAsync,
        }).WithMetadata(readOnly);
        if (settings.Ui.Enabled)
        {
            UiRoutes.Map(app, settings.Dashboard.Enabled);
        }
        else
        {
            app.MapGet("/", () => Results.Redirect("/swagger")).ExcludeFromDescription();
        }

        // Any route can meet a silo that is stopping or a partition whose silo is down (503), or fail inside (500).
        var v1 = app.MapGroup("/v1").ProducesProblem(StatusCodes.Status500InternalServerError).ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        v1.MapTopicEndpoints();
        v1.MapProduceEndpoints();
        v1.MapReadEndpoints();
        v1.MapIntegrityEndpoints();
        v1.MapGroupEndpoints();
        v1.MapClusterEndpoints();
        v1.MapQueryEndpoints();
        if (settings.Dashboard.Enabled)
        {
            app.MapOrleansDashboard("/dashboard").ExcludeFromDescription();
        }

        return app;
    }

    /// <summary>
    /// Embedded (no <c>Efflux:Cluster:Redis</c>): a cluster of this silo alone on loopback. Cluster mode: Redis
    /// membership, endpoints on loopback, and <c>Efflux:Membership</c> bound to Orleans' failure detection settings.
    /// </summary>
    private static void ConfigureSilo(ISiloBuilder silo, SiloSettings settings, ConfigurationManager configuration)
    {
        if (AspireConfiguration.IsPresent(configuration))
        {
            // Orleans reads its providers, ids and endpoints from the Orleans section; it needs only the clients.
            AspireConfiguration.AddKeyedClients(silo.Services, configuration);
        }
        else if (string.IsNullOrWhiteSpace(settings.Cluster.Redis))
        {
            silo.UseLocalhostClustering(settings.SiloPort, settings.GatewayPort, serviceId: settings.Cluster.Id, clusterId: settings.Cluster.Id);
        }
        else
        {
            silo.UseRedisClustering(settings.Cluster.Redis);
            silo.ConfigureEndpoints(IPAddress.Loopback, settings.SiloPort, settings.GatewayPort, listenOnAnyHostAddress: false);
            silo.Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (settings.Cluster.Id, settings.Cluster.Id));
        }

        silo.Configure<SiloOptions>(o => o.SiloName = settings.StableName);
        silo.Services.AddOptions<ClusterMembershipOptions>().Bind(configuration.GetSection("Efflux:Membership"));
        silo.Services.AddOptions<GrainCollectionOptions>().Bind(configuration.GetSection("Efflux:GrainCollection"));
        switch (settings.GrainStorage.Provider.ToUpperInvariant())
        {
            case "FILE" when settings.GrainStorage.Directory is { } directory:
                silo.AddEffluxFileGrainStorage(directory);
                break;
            case "FILE":
                break;
            case "MEMORY":
                silo.AddMemoryGrainStorage(EffluxStorage.Name);
                break;
            case "AZUREBLOB":
                var connection = settings.GrainStorage.ConnectionString
                    ?? throw new InvalidOperationException("Efflux:GrainStorage:ConnectionString is required for the azureblob provider.");
                silo.AddAzureBlobGrainStorage(EffluxStorage.Name, o =>
                {
                    o.BlobServiceClient = new Azure.Storage.Blobs.BlobServiceClient(connection);
                    o.ContainerName = settings.GrainStorage.Container;
                });
                break;
            default:
                throw new InvalidOperationException($"Efflux:GrainStorage:Provider '{settings.GrainStorage.Provider}' is not file, memory or azureblob.");
        }

        if (settings.Tls.Certificate is { Length: > 0 } certificate)
        {
            var authority = settings.Tls.Authority is { Length: > 0 } path ? X509CertificateLoader.LoadCertificateFromFile(path) : null;
            silo.UseTls(X509CertificateLoader.LoadPkcs12FromFile(certificate, settings.Tls.Password), tls =>
            {
                tls.RemoteCertificateMode = RemoteCertificateMode.RequireCertificate;
                tls.ClientCertificateMode = RemoteCertificateMode.RequireCertificate;
                tls.RemoteCertificateValidation = (presented, _, errors) => authority is null ? errors == SslPolicyErrors.None : CertificateChains.IssuedBy(presented, authority);
            });
        }

        silo.AddEffluxGrains();
        silo.AddEffluxStreams(EffluxStreams.ProviderName);
        if (settings.Dashboard.Enabled)
        {
            silo.AddDashboard();
        }
    }

    [LoggerMessage(Level = LogLevel.Critical, Message = "Not starting: {Reason}")]
    private static partial void LogRefused(ILogger logger, string reason);
}
