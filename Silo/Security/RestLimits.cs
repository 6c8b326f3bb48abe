using Efflux.Grains.Security;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace Efflux.Silo.Security;

/// <summary>
/// The REST side of <c>Efflux:Limits</c>: ASP.NET Core's rate limiting over the silo's <see cref="Quotas"/> buckets (a
/// refusal is a 429 problem with Retry-After), and Kestrel's limits on headers.
/// </summary>
internal static class RestLimits
{
    public static void AddEffluxLimits(this IServiceCollection services)
    {
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<Quotas>((o, quotas) =>
        {
            if (quotas.Limiter is not { } limiter)
            {
                return;
            }

            o.GlobalLimiter = limiter.WithTranslatedKey<HttpContext>(Bucket, leaveOpen: true);
            o.OnRejected = (context, _) =>
            {
                var (caller, ns, quota) = Bucket(context.HttpContext);
                throw Quotas.OverRate(caller, ns, quota, context.Lease);
            };
        });
        services.AddOptions<KestrelServerOptions>().Configure<IOptions<LimitsOptions>>((kestrel, limits) =>
        {
            kestrel.Limits.MaxRequestHeadersTotalSize = limits.Value.MaxRequestHeaderBytes;
            kestrel.Limits.MaxRequestHeaderCount = limits.Value.MaxRequestHeaders;
        });
    }

    /// <summary>Counts a long poll or stream against the caller's cap until the result is disposed (null: no wait, nothing counted).</summary>
    public static IDisposable? OpenRead(HttpContext http, TimeSpan wait)
        => wait > TimeSpan.Zero ? http.RequestServices.GetRequiredService<Quotas>().OpenRead(Callers.Of(http).Name) : null;

    private static (string Caller, string Namespace, Quota Quota) Bucket(HttpContext http)
        => http.GetEndpoint()?.Metadata.GetMetadata<RequiresAttribute>() is { Quota: not Quota.None } rule && http.Request.RouteValues["ns"] is string ns
            ? (Callers.Of(http).Name, ns, rule.Quota)
            : ("", "", Quota.None);
}
