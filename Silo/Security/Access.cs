using Efflux.Grains.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.IdentityModel.Tokens;
using Microsoft.Extensions.Options;

namespace Efflux.Silo.Security;

/// <summary>
/// Authentication and authorization of the REST facade and the dashboards. Each <c>/v1</c> route declares the
/// permission it needs (<see cref="RequiresAttribute"/> metadata, see <see cref="Need"/>) on its <c>{ns}</c>, or on every
/// namespace when it has none; <c>/ui</c> and <c>/dashboard</c> need admin on every namespace. Health, the OpenAPI
/// document and Swagger stay open.
/// </summary>
internal static class Access
{
    private const string Scheme = "efflux";

    /// <summary>Declares what a route needs, and which rate limit it counts against.</summary>
    public static RouteHandlerBuilder Need(this RouteHandlerBuilder route, Permissions anyOf, Quota quota = Quota.None)
        => route.WithMetadata(new RequiresAttribute(anyOf) { Quota = quota }).ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden);

    /// <summary>API keys (and JWTs when an issuer is configured), when <c>Efflux:Auth</c> turns authentication on.</summary>
    public static void AddEffluxAuthentication(this IServiceCollection services, AuthOptions auth)
    {
        if (!auth.Enabled)
        {
            return;
        }

        var builder = services.AddAuthentication(Scheme)
            .AddPolicyScheme(Scheme, "API key or JWT", o => o.ForwardDefaultSelector = http =>
                auth.Jwt.Enabled && http.Request.Headers.Authorization.ToString() is var header
                    && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                    && !header.AsSpan(7).Trim().StartsWith(ApiKeys.Prefix, StringComparison.Ordinal)
                    ? "jwt"
                    : ApiKeyAuthentication.Name)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthentication>(ApiKeyAuthentication.Name, null);
        if (auth.Jwt.Enabled)
        {
            builder.AddJwtBearer("jwt", o =>
            {
                o.MapInboundClaims = false;
                o.Authority = auth.Jwt.Authority;
                o.RequireHttpsMetadata = true;
                o.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidIssuer = auth.Jwt.Issuer,
                    ValidAudience = auth.Jwt.Audience,
                    NameClaimType = "sub",
                    IssuerSigningKey = auth.Jwt.SigningKey is { Length: > 0 } key ? new SymmetricSecurityKey(Convert.FromBase64String(key)) : null,
                };
            });
        }
    }

    /// <summary>Admits or refuses each request (401 without credentials, 403 without the permission) before it runs.</summary>
    public static void UseEffluxAccess(this WebApplication app)
    {
        var auth = app.Services.GetRequiredService<IOptions<AuthOptions>>().Value;
        app.Use(async (http, next) =>
        {
            var rule = http.GetEndpoint()?.Metadata.GetMetadata<RequiresAttribute>();
            var dashboard = IsDashboard(http.Request.Path);
            if (rule is null && !dashboard)
            {
                await next(http);
                return;
            }

            var caller = Caller.Anonymous;
            if (auth.Enabled)
            {
                var result = await http.AuthenticateAsync();
                caller = (result.Succeeded ? Callers.From(result.Principal) : null)
                    ?? throw new EffluxException(EffluxError.Unauthenticated, result.Failure?.Message
                        ?? "This silo requires credentials: send Authorization: Bearer with an API key or a token.");
            }

            caller.Demand(dashboard ? null : http.Request.RouteValues["ns"] as string, dashboard ? Permissions.Admin : rule!.AnyOf);
            Callers.Admit(http, caller);
            await next(http);
        });
    }

    /// <summary>The pages that answer a refusal with a Basic challenge, so that a browser asks for the key.</summary>
    public static bool IsDashboard(PathString path) => path.StartsWithSegments("/ui") || path.StartsWithSegments("/dashboard");
}
