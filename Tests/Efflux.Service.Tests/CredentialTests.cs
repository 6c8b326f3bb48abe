using System.Net;
using System.Net.Http.Headers;
using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Efflux.Service.Tests;

/// <summary>Keys kept in configuration, and JWT bearer tokens from an identity provider with their grants in <c>efflux:grant</c> claims.</summary>
public sealed class CredentialTests
{
    private static readonly byte[] SigningKey = RandomNumberGenerator.GetBytes(32);

    [Fact]
    public async Task ATokensGrantClaims_DecideWhatItMayDo_AndABadTokenIsA401()
    {
        var (key, entry) = ApiKeys.Create("admin", [NamespaceGrant.Parse("*=admin")], DateTimeOffset.UtcNow);
        var keyFile = Path.Combine(Path.GetTempPath(), "efflux-keys-" + Guid.NewGuid().ToString("N") + ".json");
        KeyFile.Save(keyFile, [entry]);
        await using var silo = await InProcessSilo.StartAsync(
            $"--Efflux:Auth:KeyFile={keyFile}",
            "--Efflux:Auth:Jwt:Issuer=https://login.example.test",
            $"--Efflux:Auth:Jwt:SigningKey={Convert.ToBase64String(SigningKey)}");
        try
        {
            Assert.Equal(HttpStatusCode.Created, await SendAsync(silo, HttpMethod.Put, "/v1/topics/orders/t", key));

            var reader = Token(SigningKey, "alice", "https://login.example.test", "efflux", ["orders=read"]);
            Assert.Equal(HttpStatusCode.OK, await SendAsync(silo, HttpMethod.Get, "/v1/topics/orders/t", reader));
            Assert.Equal(HttpStatusCode.Forbidden, await SendAsync(silo, HttpMethod.Delete, "/v1/topics/orders/t", reader));
            Assert.Equal(HttpStatusCode.Forbidden, await SendAsync(silo, HttpMethod.Get, "/v1/topics/shipping", reader));

            var admin = Token(SigningKey, "bob", "https://login.example.test", "efflux", ["orders=admin", "shipping=read"]);
            Assert.Equal(HttpStatusCode.OK, await SendAsync(silo, HttpMethod.Get, "/v1/topics/shipping", admin));
            Assert.Equal(HttpStatusCode.NoContent, await SendAsync(silo, HttpMethod.Delete, "/v1/topics/orders/t", admin));

            // Signed with another key, issued by another issuer, for another audience, or expired: not a caller at all.
            Assert.Equal(HttpStatusCode.Unauthorized, await SendAsync(silo, HttpMethod.Get, "/v1/topics/orders", Token(RandomNumberGenerator.GetBytes(32), "eve", "https://login.example.test", "efflux", ["*=admin"])));
            Assert.Equal(HttpStatusCode.Unauthorized, await SendAsync(silo, HttpMethod.Get, "/v1/topics/orders", Token(SigningKey, "eve", "https://elsewhere.test", "efflux", ["*=admin"])));
            Assert.Equal(HttpStatusCode.Unauthorized, await SendAsync(silo, HttpMethod.Get, "/v1/topics/orders", Token(SigningKey, "eve", "https://login.example.test", "another-service", ["*=admin"])));
            Assert.Equal(HttpStatusCode.Unauthorized, await SendAsync(silo, HttpMethod.Get, "/v1/topics/orders", Token(SigningKey, "eve", "https://login.example.test", "efflux", ["*=admin"], DateTime.UtcNow.AddHours(-2))));
        }
        finally
        {
            File.Delete(keyFile);
        }
    }

    [Fact]
    public async Task KeysInConfiguration_AreMatchedByHash()
    {
        var (key, entry) = ApiKeys.Create("ci", [NamespaceGrant.Parse("orders=write"), NamespaceGrant.Parse("ord*=read")], DateTimeOffset.UtcNow);
        await using var silo = await InProcessSilo.StartAsync(
            $"--Efflux:Auth:Keys:0:Id={entry.Id}",
            $"--Efflux:Auth:Keys:0:Name={entry.Name}",
            $"--Efflux:Auth:Keys:0:Hash={entry.Hash}",
            $"--Efflux:Auth:Keys:0:Grants:0={entry.Grants[0]}",
            $"--Efflux:Auth:Keys:0:Grants:1={entry.Grants[1]}");
        using var produce = new StringContent("""{"messages":[{"data":1}]}""", System.Text.Encoding.UTF8, "application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/topics/orders/t/messages") { Content = produce };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        Assert.Equal(HttpStatusCode.Created, (await silo.Http.SendAsync(request)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, await SendAsync(silo, HttpMethod.Get, "/v1/topics/orders/t", key));
        Assert.Equal(HttpStatusCode.Forbidden, await SendAsync(silo, HttpMethod.Delete, "/v1/topics/orders/t", key));
        Assert.Equal(HttpStatusCode.Unauthorized, await SendAsync(silo, HttpMethod.Get, "/v1/topics/orders/t", key + "x"));
    }

    private static string Token(byte[] signingKey, string subject, string issuer, string audience, string[] grants, DateTime? issued = null)
    {
        var at = issued ?? DateTime.UtcNow;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Subject = new ClaimsIdentity([new Claim("sub", subject), .. grants.Select(g => new Claim("efflux:grant", g))]),
            Issuer = issuer,
            Audience = audience,
            IssuedAt = at,
            NotBefore = at,
            Expires = at.AddHours(1),
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(signingKey), SecurityAlgorithms.HmacSha256),
        });
    }

    private static async Task<HttpStatusCode> SendAsync(InProcessSilo silo, HttpMethod method, string url, string credential)
    {
        using var request = new HttpRequestMessage(method, url);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", credential);
        using var response = await silo.Http.SendAsync(request);
        return response.StatusCode;
    }
}
