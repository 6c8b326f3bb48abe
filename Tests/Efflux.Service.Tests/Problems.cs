using System.Net;
using System.Text.Json;

namespace Efflux.Service.Tests;

/// <summary>Assertions on HTTP responses.</summary>
internal static class Problems
{
    /// <summary>Asserts a problem-details response with the status and returns its detail.</summary>
    public static async Task<string> AssertProblem(HttpResponseMessage response, HttpStatusCode status, string what = "")
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"{what}: expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(body);
        Assert.Equal((int)status, json.RootElement.GetProperty("status").GetInt32());
        return json.RootElement.GetProperty("detail").GetString() ?? "";
    }

    public static async Task<JsonElement> Json(HttpResponseMessage response, HttpStatusCode status = HttpStatusCode.OK)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }
}
