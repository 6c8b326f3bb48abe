using System.ComponentModel.DataAnnotations;

namespace Efflux.Grains.Security;

/// <summary>
/// <c>Efflux:Auth</c>: who may call the silo. With no keys, no key file and no JWT issuer, authentication is off, which
/// a silo allows only on loopback addresses unless <see cref="AllowAnonymous"/> says otherwise.
/// </summary>
public sealed class AuthOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Efflux:Auth";

    /// <summary>API keys kept in configuration (hashed: see <c>efflux keys create --print</c>).</summary>
    public IList<ApiKeyEntry> Keys { get; } = [];

    /// <summary>A key file kept by <c>efflux keys</c>; changes are picked up within a second, without a restart.</summary>
    /// <value>Default none.</value>
    public string? KeyFile { get; set; }

    /// <summary>Lets a silo without authentication listen on addresses other than loopback.</summary>
    /// <value>Default false.</value>
    public bool AllowAnonymous { get; set; }

    /// <summary>JWT bearer tokens from an identity provider.</summary>
    public JwtSettings Jwt { get; set; } = new();

    /// <summary>Checks the keys in configuration: each needs an id, a name, a SHA-256 hash and grants that parse.</summary>
    /// <exception cref="InvalidOperationException">A key is malformed; the message names it.</exception>
    public void Validate()
    {
        for (var i = 0; i < Keys.Count; i++)
        {
            var key = Keys[i];
            try
            {
                if (string.IsNullOrWhiteSpace(key.Id) || string.IsNullOrWhiteSpace(key.Name) || key.Hash?.StartsWith("sha256:", StringComparison.Ordinal) != true || key.Grants is not { Count: > 0 })
                {
                    throw EffluxException.Invalid("a key needs an id, a name, a hash (sha256:…) and grants, as efflux keys create --print writes them.");
                }

                key.ParseGrants();
            }
            catch (EffluxException ex)
            {
                throw new InvalidOperationException($"{Section}:Keys:{i}: {ex.Message}", ex);
            }
        }

        if (Jwt.Enabled && string.IsNullOrWhiteSpace(Jwt.Authority) && string.IsNullOrWhiteSpace(Jwt.SigningKey))
        {
            throw new InvalidOperationException($"{Section}:Jwt: with an issuer, name its Authority (whose published keys sign tokens) or a SigningKey.");
        }
    }

    /// <summary>Whether callers must authenticate: keys, a key file or a JWT issuer are configured.</summary>
    public bool Enabled => Keys.Count > 0 || !string.IsNullOrWhiteSpace(KeyFile) || Jwt.Enabled;
}

/// <summary><c>Efflux:Auth:Jwt</c>: tokens whose <c>efflux:grant</c> claims hold grants such as <c>orders=read,write</c>.</summary>
public sealed class JwtSettings
{
    /// <summary>The OpenID Connect authority whose published keys sign tokens (its metadata is fetched over HTTPS).</summary>
    /// <value>Default none.</value>
    public string? Authority { get; set; }

    /// <summary>The issuer tokens must name.</summary>
    /// <value>Default none: required when JWT is used.</value>
    public string? Issuer { get; set; }

    /// <summary>The audience tokens must name.</summary>
    /// <value>Default <c>efflux</c>.</value>
    public string Audience { get; set; } = "efflux";

    /// <summary>A shared HMAC-SHA256 signing key, base64 (at least 32 bytes), for issuers that sign with one instead of an authority.</summary>
    /// <value>Default none.</value>
    public string? SigningKey { get; set; }

    /// <summary>Whether JWT bearer tokens are accepted.</summary>
    public bool Enabled => !string.IsNullOrWhiteSpace(Issuer);
}

/// <summary><c>Efflux:Limits</c>: rate limits, quotas and caps. Zero turns a limit off.</summary>
public sealed class LimitsOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Efflux:Limits";

    /// <summary>Produce requests (REST) or append calls (SDK) per second, per caller and namespace.</summary>
    /// <value>Default 0 (no limit).</value>
    [Range(0, 1_000_000, ErrorMessage = "Efflux:Limits:ProducePerSecond must be 0 to 1000000.")]
    public double ProducePerSecond { get; set; }

    /// <summary>Produce requests that may come at once: the bucket's size.</summary>
    /// <value>Default: one second's worth, at least 1.</value>
    [Range(0, 1_000_000, ErrorMessage = "Efflux:Limits:ProduceBurst must be 0 to 1000000.")]
    public int ProduceBurst { get; set; }

    /// <summary>Read requests or fetch calls per second, per caller and namespace.</summary>
    /// <value>Default 0 (no limit).</value>
    [Range(0, 1_000_000, ErrorMessage = "Efflux:Limits:ConsumePerSecond must be 0 to 1000000.")]
    public double ConsumePerSecond { get; set; }

    /// <summary>Read requests that may come at once.</summary>
    /// <value>Default: one second's worth, at least 1.</value>
    [Range(0, 1_000_000, ErrorMessage = "Efflux:Limits:ConsumeBurst must be 0 to 1000000.")]
    public int ConsumeBurst { get; set; }

    /// <summary>Topics a namespace may hold.</summary>
    /// <value>Default 0 (no limit).</value>
    [Range(0, int.MaxValue, ErrorMessage = "Efflux:Limits:MaxTopicsPerNamespace must be 0 or more.")]
    public int MaxTopicsPerNamespace { get; set; }

    /// <summary>Partitions the topics of a namespace may have together.</summary>
    /// <value>Default 0 (no limit).</value>
    [Range(0, int.MaxValue, ErrorMessage = "Efflux:Limits:MaxPartitionsPerNamespace must be 0 or more.")]
    public int MaxPartitionsPerNamespace { get; set; }

    /// <summary>Long polls (REST and SDK) and Server-Sent Event streams one caller may hold open at once, on one silo.</summary>
    /// <value>Default 64.</value>
    [Range(0, 1_000_000, ErrorMessage = "Efflux:Limits:MaxOpenReadsPerCaller must be 0 to 1000000.")]
    public int MaxOpenReadsPerCaller { get; set; } = 64;

    /// <summary>Total size of an HTTP request's headers.</summary>
    /// <value>Default 32 KiB; 1 KiB to 1 MiB.</value>
    [Range(1 << 10, 1 << 20, ErrorMessage = "Efflux:Limits:MaxRequestHeaderBytes must be 1024 to 1048576.")]
    public int MaxRequestHeaderBytes { get; set; } = 32 << 10;

    /// <summary>Headers in one HTTP request.</summary>
    /// <value>Default 100; 8 to 1000.</value>
    [Range(8, 1000, ErrorMessage = "Efflux:Limits:MaxRequestHeaders must be 8 to 1000.")]
    public int MaxRequestHeaders { get; set; } = 100;
}
