using System.Security.Claims;
using System.Text;
using System.Text.Encodings.Web;
using Efflux.Grains.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Efflux.Silo.Security;

/// <summary>
/// Authenticates <c>Authorization: Bearer efx_…</c>, or <c>Basic</c> with the key as the password (what a browser sends
/// for the dashboards once asked), against the silo's <see cref="KeyRing"/>.
/// </summary>
internal sealed class ApiKeyAuthentication(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, KeyRing keys)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string Name = "efflux-key";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (KeyOf(Request.Headers.Authorization.ToString()) is not { } key)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        return Task.FromResult(keys.Authenticate(key) is { } caller
            ? AuthenticateResult.Success(new AuthenticationTicket(Callers.Principal(caller, Name), Name))
            : AuthenticateResult.Fail("The API key is not one this silo knows (revoked, or from another cluster)."));
    }

    /// <summary>The key in a Bearer or Basic authorization header, else null.</summary>
    private static string? KeyOf(string authorization)
    {
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return authorization[7..].Trim();
        }

        if (authorization.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            Span<byte> bytes = stackalloc byte[authorization.Length];
            if (Convert.TryFromBase64String(authorization[6..].Trim(), bytes, out var written))
            {
                var pair = Encoding.UTF8.GetString(bytes[..written]);
                return pair[(pair.IndexOf(':', StringComparison.Ordinal) + 1)..];
            }
        }

        return null;
    }
}

/// <summary>Turns callers into claims principals and back; JWTs carry the same <see cref="GrantClaim"/> claims.</summary>
internal static class Callers
{
    /// <summary>A grant such as <c>orders=read,write</c>, one claim per grant.</summary>
    public const string GrantClaim = "efflux:grant";

    private const string CallerItem = "efflux-caller";

    public static ClaimsPrincipal Principal(Caller caller, string scheme)
        => new(new ClaimsIdentity([new Claim(ClaimTypes.Name, caller.Name), .. caller.Grants.Select(g => new Claim(GrantClaim, g.ToString()))], scheme));

    /// <summary>The caller of an authenticated principal: API key callers by name, JWT callers as <c>jwt:{sub}</c>.</summary>
    public static Caller? From(ClaimsPrincipal user)
    {
        if (user.Identity is not { IsAuthenticated: true } identity)
        {
            return null;
        }

        var name = identity.AuthenticationType == ApiKeyAuthentication.Name
            ? identity.Name ?? "key"
            : "jwt:" + (user.FindFirst("sub")?.Value ?? identity.Name ?? "unknown");
        var grants = new List<NamespaceGrant>();
        foreach (var claim in user.FindAll(GrantClaim))
        {
            try
            {
                grants.Add(NamespaceGrant.Parse(claim.Value));
            }
            catch (EffluxException)
            {
                // A grant this silo cannot read grants nothing; the others stand.
            }
        }

        return new Caller(name, grants);
    }

    /// <summary>The caller the access check admitted for this request.</summary>
    public static Caller Of(HttpContext http) => http.Items[CallerItem] as Caller ?? Caller.Anonymous;

    public static void Admit(HttpContext http, Caller caller) => http.Items[CallerItem] = caller;
}
