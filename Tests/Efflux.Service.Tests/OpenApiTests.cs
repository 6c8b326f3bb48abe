using System.Net;
using System.Text;
using System.Text.Json;

namespace Efflux.Service.Tests;

/// <summary>
/// The OpenAPI document describes every REST response: each operation its success with a schema and its problems, and
/// the JSON a route really answers has no member its documented schema lacks.
/// </summary>
public sealed class OpenApiTests : IAsyncLifetime
{
    private InProcessSilo _silo = null!;
    private JsonElement _document;

    private HttpClient Http => _silo.Http;

    public async Task InitializeAsync()
    {
        _silo = await InProcessSilo.StartAsync();
        _document = await Problems.Json(await Http.GetAsync("/openapi/v1.json"));
    }

    public async Task DisposeAsync() => await _silo.DisposeAsync();

    private IEnumerable<(string Path, string Method, JsonElement Operation)> Operations()
        => _document.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Where(m => m.Value.ValueKind == JsonValueKind.Object && m.Value.TryGetProperty("responses", out _))
                .Select(m => (path.Name, m.Name, m.Value)));

    [Fact]
    public void EveryOperation_DescribesItsSuccess_WithASchema_AndItsProblems()
    {
        var operations = Operations().ToList();
        Assert.True(operations.Count >= 25, $"only {operations.Count} operations are documented");
        foreach (var (path, method, operation) in operations)
        {
            var what = $"{method.ToUpperInvariant()} {path}";
            var responses = operation.GetProperty("responses").EnumerateObject().ToList();
            var successes = responses.Where(r => r.Name.StartsWith('2')).ToList();
            Assert.True(successes.Count > 0, $"{what}: no success response");
            foreach (var success in successes.Where(r => r.Name != "204"))
            {
                Assert.True(success.Value.TryGetProperty("content", out var content), $"{what}: {success.Name} has no content");
                Assert.True(
                    content.EnumerateObject().Any(c => c.Value.TryGetProperty("schema", out var schema) && Describes(schema)),
                    $"{what}: {success.Name} has no schema for any of {string.Join(", ", content.EnumerateObject().Select(c => c.Name))}");
            }

            var problems = responses.Where(r => r.Name[0] is '4' or '5').ToList();
            Assert.True(problems.Count > 0, $"{what}: no problem response");
            Assert.All(problems, p => Assert.True(
                p.Value.TryGetProperty("content", out var content) && content.TryGetProperty("application/problem+json", out _),
                $"{what}: {p.Name} is not a problem document"));
        }
    }

    [Fact]
    public void EveryOperation_RequiresTheBearerScheme_AndNamesThePermissionItNeeds()
    {
        var scheme = _document.GetProperty("components").GetProperty("securitySchemes").GetProperty("efflux");
        Assert.Equal(("http", "bearer"), (scheme.GetProperty("type").GetString(), scheme.GetProperty("scheme").GetString()));
        foreach (var (path, method, operation) in Operations())
        {
            var what = $"{method.ToUpperInvariant()} {path}";
            Assert.True(operation.TryGetProperty("security", out var security) && security.EnumerateArray().Any(r => r.TryGetProperty("efflux", out _)), $"{what}: no security requirement");
            var responses = operation.GetProperty("responses");
            Assert.True(responses.TryGetProperty("401", out _) && responses.TryGetProperty("403", out _), $"{what}: 401 and 403 are not documented");
            Assert.Matches(@"Needs (any known caller|(read|write|admin)( or (read|write|admin))* on (\{ns\}|every namespace))\.", operation.GetProperty("description").GetString());
        }

        Assert.Contains("Needs write on {ns}.", _document.GetProperty("paths").GetProperty("/v1/topics/{ns}/{topic}/messages").GetProperty("post").GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.Contains("Needs admin on every namespace.", _document.GetProperty("paths").GetProperty("/v1/cluster").GetProperty("get").GetProperty("description").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RealAnswers_HaveNoMemberTheirSchemaLacks()
    {
        var checkedAnswers = new List<string>();
        async Task Check(HttpMethod method, string url, string template, HttpContent? body = null, HttpStatusCode status = HttpStatusCode.OK)
        {
            using var request = new HttpRequestMessage(method, url) { Content = body };
            using var response = await Http.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(status == response.StatusCode, $"{method} {url}: {(int)response.StatusCode} {text}");
            var schema = Schema(template, method.Method.ToLowerInvariant(), ((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture));
            using var json = JsonDocument.Parse(text);
            AssertFits(json.RootElement, schema, $"{method} {url}");
            checkedAnswers.Add(template);
        }

        static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

        await Check(HttpMethod.Put, "/v1/topics/doc/t", "/v1/topics/{ns}/{topic}", Json("""{"partitions":2,"retention":"7d"}"""), HttpStatusCode.Created);
        await Check(HttpMethod.Post, "/v1/topics/doc/t/messages?partition=0", "/v1/topics/{ns}/{topic}/messages",
            Json("""{"messages":[{"id":"a","data":{"n":1},"dataType":"d","properties":{"k":"v"}},{"dataBase64":"AAE="}]}"""), HttpStatusCode.Created);
        await Check(HttpMethod.Get, "/v1/topics/doc/t", "/v1/topics/{ns}/{topic}");
        await Check(HttpMethod.Get, "/v1/topics/doc", "/v1/topics/{ns}");
        await Check(HttpMethod.Get, "/v1/namespaces", "/v1/namespaces");
        await Check(HttpMethod.Get, "/v1/topics/doc/t/partitions/0/messages?from=0", "/v1/topics/{ns}/{topic}/partitions/{p}/messages");
        await Check(HttpMethod.Get, "/v1/topics/doc/t/partitions/0/messages/0", "/v1/topics/{ns}/{topic}/partitions/{p}/messages/{offset}");
        await Check(HttpMethod.Get, "/v1/topics/doc/t/messages/by-id/a", "/v1/topics/{ns}/{topic}/messages/by-id/{id}");
        await Check(HttpMethod.Get, "/v1/topics/doc/t/partitions/0/offsets?time=2000-01-01T00:00:00Z", "/v1/topics/{ns}/{topic}/partitions/{p}/offsets");
        await Check(HttpMethod.Get, "/v1/topics/doc/t/search?dataType=d", "/v1/topics/{ns}/{topic}/search");
        await Check(HttpMethod.Get, "/v1/topics/doc/t/partitions/0/verify", "/v1/topics/{ns}/{topic}/partitions/{p}/verify");
        var head = await (await Http.GetAsync("/v1/topics/doc/t/partitions/0/head")).Content.ReadAsStringAsync();
        await Check(HttpMethod.Get, "/v1/topics/doc/t/partitions/0/head", "/v1/topics/{ns}/{topic}/partitions/{p}/head");
        await Check(HttpMethod.Post, "/v1/topics/doc/t/partitions/0/verify-checkpoint", "/v1/topics/{ns}/{topic}/partitions/{p}/verify-checkpoint", Json(head));
        await Check(HttpMethod.Post, "/v1/topics/doc/t/groups/g/commit", "/v1/topics/{ns}/{topic}/groups/{group}/commit", Json("""{"partition":0,"offset":1}"""));
        await Check(HttpMethod.Get, "/v1/topics/doc/t/groups/g", "/v1/topics/{ns}/{topic}/groups/{group}");
        await Check(HttpMethod.Get, "/v1/topics/doc/t/groups", "/v1/topics/{ns}/{topic}/groups");
        await Check(HttpMethod.Get, "/v1/topics/doc/t/groups/g/messages", "/v1/topics/{ns}/{topic}/groups/{group}/messages");
        await Check(HttpMethod.Get, "/v1/cluster", "/v1/cluster");
        await Check(HttpMethod.Put, "/v1/queries/doc/q", "/v1/queries/{ns}/{name}", new StringContent("SELECT n FROM t INSERT INTO out", Encoding.UTF8, "text/plain"), HttpStatusCode.Created);
        await Check(HttpMethod.Get, "/v1/queries/doc", "/v1/queries/{ns}");
        Assert.Equal(20, checkedAnswers.Count);
    }

    /// <summary>The schema documented for a response (the first content type that has one).</summary>
    private JsonElement Schema(string path, string method, string status)
    {
        Assert.True(_document.GetProperty("paths").TryGetProperty(path, out var operations), $"{path} is not documented");
        Assert.True(operations.TryGetProperty(method, out var operation), $"{method} {path} is not documented");
        var responses = operation.GetProperty("responses");
        Assert.True(responses.TryGetProperty(status, out var response), $"{method} {path} documents {string.Join(", ", responses.EnumerateObject().Select(r => r.Name))}, not {status}");
        return response.GetProperty("content").EnumerateObject().Select(c => c.Value.GetProperty("schema")).First();
    }

    private static bool Describes(JsonElement schema)
        => schema.TryGetProperty("$ref", out _) || schema.TryGetProperty("type", out _) || schema.TryGetProperty("oneOf", out _) || schema.TryGetProperty("anyOf", out _);

    /// <summary>The schema behind references and nullable wrappers.</summary>
    private JsonElement Resolve(JsonElement schema)
    {
        while (true)
        {
            if (schema.TryGetProperty("$ref", out var reference))
            {
                schema = _document.GetProperty("components").GetProperty("schemas").GetProperty(reference.GetString()!["#/components/schemas/".Length..]);
            }
            else if ((schema.TryGetProperty("oneOf", out var options) || schema.TryGetProperty("anyOf", out options) || schema.TryGetProperty("allOf", out options))
                && options.EnumerateArray().FirstOrDefault(o => !(o.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String && t.GetString() == "null")) is { ValueKind: JsonValueKind.Object } inner)
            {
                schema = inner;
            }
            else
            {
                return schema;
            }
        }
    }

    private void AssertFits(JsonElement value, JsonElement schema, string where)
    {
        schema = Resolve(schema);
        switch (value.ValueKind)
        {
            case JsonValueKind.Object when schema.TryGetProperty("properties", out var properties):
                foreach (var member in value.EnumerateObject())
                {
                    Assert.True(properties.TryGetProperty(member.Name, out var memberSchema), $"{where}: member '{member.Name}' is not in the documented schema ({string.Join(", ", properties.EnumerateObject().Select(p => p.Name))})");
                    AssertFits(member.Value, memberSchema, where + "." + member.Name);
                }

                break;
            case JsonValueKind.Array when schema.TryGetProperty("items", out var items):
                foreach (var item in value.EnumerateArray())
                {
                    AssertFits(item, items, where + "[]");
                }

                break;
            case JsonValueKind.Object or JsonValueKind.Array:
                // A map (additionalProperties) or free JSON (a message's data): any members.
                Assert.False(schema.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String && type.GetString() is "string" or "integer" or "number" or "boolean", $"{where}: documented as a {schema}, answered {value.ValueKind}");
                break;
        }
    }
}
