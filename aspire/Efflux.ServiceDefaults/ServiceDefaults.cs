using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// What every Efflux service gets when Aspire (or anything that sets the standard OpenTelemetry variables) runs it:
/// OpenTelemetry logs, metrics and traces, exported over OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set; the
/// health-check services (each service maps its own probes); service discovery for outgoing HTTP calls. Run on its
/// own, nothing is exported.
/// </summary>
public static class ServiceDefaults
{
    /// <summary>The meters exported besides ASP.NET Core, HttpClient and the runtime: Orleans' and Efflux's own.</summary>
    private static readonly string[] Meters = ["Microsoft.Orleans", "Efflux"];

    /// <summary>
    /// The activity sources traced besides ASP.NET Core and HttpClient. Not Orleans' runtime and application sources:
    /// stream queues poll partitions many times a second, and tracing every grain call buried the requests users make
    /// (tens of thousands of traces a minute on an idle three-silo cluster).
    /// </summary>
    private static readonly string[] Sources = ["Efflux"];

    /// <summary>Adds OpenTelemetry, health checks and service discovery.</summary>
    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });
        var telemetry = builder.Services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter(Meters))
            .WithTracing(tracing => tracing
                .AddSource(Sources)
                .AddAspNetCoreInstrumentation(o => o.Filter = context => !context.Request.Path.StartsWithSegments("/health", StringComparison.Ordinal))
                .AddHttpClientInstrumentation());
        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            telemetry.UseOtlpExporter();
        }

        builder.Services.AddHealthChecks();
        builder.Services.AddServiceDiscovery();
        builder.Services.ConfigureHttpClientDefaults(http => http.AddServiceDiscovery());
        return builder;
    }
}
