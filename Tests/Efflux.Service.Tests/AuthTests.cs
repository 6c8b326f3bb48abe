using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Efflux.Service.Tests;

/// <summary>
/// Authentication and authorization of the REST facade: every route × role × namespace, JWTs, the dashboards, and keys
/// revoked in the key file while the silo runs.
/// </summary>
public sealed class AuthTests : IAsyncLifetime
{
    private const string Ns = "orders";
    private KeyedSilo _keyed = null!;

    private InProcessSilo Silo => _keyed.Silo;

    private IReadOnlyDictionary<string, string> Keys => _keyed.Keys;

    /// <summary>What each role holds; "other" holds every permission, but on another namespace.</summary>
    private static readonly (string Role, string[] Grants)[] Roles =
    [
        ("reader", [$"{Ns}=read"]),
        ("writer", [$"{Ns}=write"]),
        ("ns-admin", [$"{Ns}=admin"]),
        ("prefix-reader", ["ord*=read"]),
        ("other", ["shipping=admin"]),
        ("admin", ["*=admin"]),
    ];

    /// <summary>
    /// The permission each route needs, written down here independently of the silo's declarations (which are checked
    /// against it): a route the silo adds without a line here fails the test. "any" = any known caller.
    /// </summary>
    private static readonly Dictionary<string, string> Needs = new()
    {
        ["PUT /v1/topics/{ns}/{topic}"] = "admin",
        ["GET /v1/topics/{ns}/{topic}"] = "read",
        ["GET /v1/topics/{ns}"] = "read",
        ["DELETE /v1/topics/{ns}/{topic}"] = "admin",
        ["GET /v1/namespaces"] = "any",
        ["POST /v1/topics/{ns}/{topic}/messages"] = "write",
        ["GET /v1/topics/{ns}/{topic}/partitions/{p:int}/messages"] = "read",
        ["GET /v1/topics/{ns}/{topic}/partitions/{p:int}/messages/{offset:long}"] = "read",
        ["GET /v1/topics/{ns}/{topic}/messages/by-id/{id}"] = "read",
        ["GET /v1/topics/{ns}/{topic}/partitions/{p:int}/stream"] = "read",
        ["GET /v1/topics/{ns}/{topic}/partitions/{p:int}/offsets"] = "read",
        ["GET /v1/topics/{ns}/{topic}/search"] = "read",
        ["GET /v1/topics/{ns}/{topic}/partitions/{p:int}/verify"] = "read",
        ["GET /v1/topics/{ns}/{topic}/partitions/{p:int}/head"] = "read",
        ["POST /v1/topics/{ns}/{topic}/partitions/{p:int}/verify-checkpoint"] = "read",
        ["GET /v1/topics/{ns}/{topic}/groups"] = "read",
        ["GET /v1/topics/{ns}/{topic}/groups/{group}"] = "read",
        ["POST /v1/topics/{ns}/{topic}/groups/{group}/commit"] = "read",
        ["GET /v1/topics/{ns}/{topic}/groups/{group}/messages"] = "read",
        ["GET /v1/cluster"] = "admin-all",
        ["PUT /v1/queries/{ns}/{name}"] = "admin",
        ["GET /v1/queries/{ns}"] = "read",
        ["GET /v1/queries/{ns}/{name}"] = "read",
        ["POST /v1/queries/{ns}/{name}/stop"] = "admin",
        ["POST /v1/queries/{ns}/{name}/start"] = "admin",
        ["DELETE /v1/queries/{ns}/{name}"] = "admin",
    };

    public async Task InitializeAsync() => _keyed = await KeyedSilo.StartAsync(Roles);

    public async Task DisposeAsync() => await _keyed.DisposeAsync();

    [Fact]
    public async Task EveryRoute_AdmitsExactlyTheRolesItsPermissionNames_InTheirNamespacesOnly()
    {
        var routes = Silo.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/v1", StringComparison.Ordinal) == true)
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? []).Select(m => (Method: m, Pattern: e.RoutePattern.RawText!.TrimEnd('/'), Endpoint: e)))
            .ToList();
        Assert.Equal(Needs.Keys.Order(), routes.Select(r => r.Method + " " + r.Pattern).Order());

        using var http = new HttpClient { BaseAddress = Silo.Http.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        var failures = new List<string>();
        foreach (var (method, pattern, endpoint) in routes)
        {
            var need = Needs[method + " " + pattern];
            var declared = endpoint.Metadata.GetMetadata<RequiresAttribute>();
            Assert.True(declared is not null, $"{method} {pattern} declares no permission");

            // A route may delete the topic: it is made again before each route.
            await CreateTopicAsync(http, Ns, "t");
            foreach (var role in Roles.Select(r => r.Role).Prepend("none"))
            {
                var status = await SendAsync(http, method, Url(pattern), role == "none" ? null : Keys[role]);
                var expected = role == "none" ? HttpStatusCode.Unauthorized : Allowed(role, need) ? (HttpStatusCode?)null : HttpStatusCode.Forbidden;
                var ok = expected is { } e ? status == e : status is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden);
                if (!ok)
                {
                    failures.Add($"{method} {pattern} as {role}: {(int)status}, expected {(expected is { } x ? ((int)x).ToString(System.Globalization.CultureInfo.InvariantCulture) : "admission")}");
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }

    [Fact]
    public async Task TheDashboards_AskBrowsersForAKey_AndAdmitOnlyAdministratorsOfEveryNamespace()
    {
        foreach (var page in new[] { "/ui/", "/dashboard/", "/ui/api/overview" })
        {
            var anonymous = await Silo.Http.GetAsync(page);
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
            Assert.StartsWith("Basic", anonymous.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);

            Assert.Equal(HttpStatusCode.Forbidden, await GetAsBasicAsync(page, Keys["ns-admin"]));
            Assert.Equal(HttpStatusCode.OK, await GetAsBasicAsync(page, Keys["admin"]));
        }
    }

    [Fact]
    public async Task AnUnknownOrRevokedKey_IsRefused_AndTheProblemSaysWhy()
    {
        using var unknown = new HttpRequestMessage(HttpMethod.Get, $"/v1/topics/{Ns}");
        unknown.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Keys["reader"][..^4] + "AAAA");
        var detail = await Problems.AssertProblem(await Silo.Http.SendAsync(unknown), HttpStatusCode.Unauthorized, "an altered key");
        Assert.Contains("not one this silo knows", detail, StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.OK, await SendAsync(Silo.Http, "GET", $"/v1/topics/{Ns}", Keys["reader"]));
        _keyed.Revoke("reader");
        await Eventually.Succeeds(async () => Assert.Equal(HttpStatusCode.Unauthorized, await SendAsync(Silo.Http, "GET", $"/v1/topics/{Ns}", Keys["reader"])));

        // The other keys of the file are still known.
        Assert.Equal(HttpStatusCode.Forbidden, await SendAsync(Silo.Http, "GET", $"/v1/topics/{Ns}", Keys["writer"]));
    }

    [Fact]
    public async Task TheNamespaceList_ShowsOnlyTheNamespacesACallerHoldsAPermissionOn()
    {
        await CreateTopicAsync(Silo.Http, Ns, "listed");
        await CreateTopicAsync(Silo.Http, "shipping", "listed");
        Assert.Equal([Ns], await NamespacesAsync(Keys["reader"]));
        Assert.Equal(["shipping"], await NamespacesAsync(Keys["other"]));
        Assert.Equal([Ns, "shipping"], await NamespacesAsync(Keys["admin"]));
    }

    private async Task<string[]> NamespacesAsync(string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/namespaces");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        var json = await Problems.Json(await Silo.Http.SendAsync(request));
        return [.. json.GetProperty("namespaces").EnumerateArray().Select(n => n.GetString()!)];
    }

    private async Task CreateTopicAsync(HttpClient http, string ns, string topic)
        => Assert.True(await SendAsync(http, "PUT", $"/v1/topics/{ns}/{topic}", Keys["admin"]) is HttpStatusCode.OK or HttpStatusCode.Created);

    private static bool Allowed(string role, string need)
    {
        var grants = Roles.Single(r => r.Role == role).Grants.Select(NamespaceGrant.Parse).ToList();
        return need switch
        {
            "any" => true,
            "admin-all" => grants.Any(g => g.Pattern == "*" && g.Permissions.HasFlag(Permissions.Admin)),
            _ => grants.Any(g => g.Covers(Ns) && g.Permissions.HasFlag(Enum.Parse<Permissions>(need, ignoreCase: true))),
        };
    }

    private static string Url(string pattern)
        => pattern.Replace("{ns}", Ns, StringComparison.Ordinal).Replace("{topic}", "t", StringComparison.Ordinal)
            .Replace("{p:int}", "0", StringComparison.Ordinal).Replace("{offset:long}", "0", StringComparison.Ordinal)
            .Replace("{id}", "x", StringComparison.Ordinal).Replace("{group}", "g", StringComparison.Ordinal).Replace("{name}", "q", StringComparison.Ordinal)
            + (pattern.EndsWith("/offsets", StringComparison.Ordinal) ? "?time=2026-01-01T00:00:00Z" : "");

    private static async Task<HttpStatusCode> SendAsync(HttpClient http, string method, string url, string? key)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), url);
        request.Headers.Authorization = key is null ? null : new AuthenticationHeaderValue("Bearer", key);
        if (method is "POST" or "PUT")
        {
            request.Content = new StringContent(url.EndsWith("/commit", StringComparison.Ordinal) ? """{"partition":0,"offset":0}""" : url.Contains("/queries/", StringComparison.Ordinal) ? "SELECT * FROM t INSERT INTO out;" : "{}", Encoding.UTF8, url.Contains("/queries/", StringComparison.Ordinal) ? "text/plain" : "application/json");
        }

        // A stream the caller is admitted to never ends: its status is enough.
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        return response.StatusCode;
    }

    private async Task<HttpStatusCode> GetAsBasicAsync(string page, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, page);
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("efflux:" + key)));
        using var response = await Silo.Http.SendAsync(request);
        return response.StatusCode;
    }
}
