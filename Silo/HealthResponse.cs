using System.Text.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Efflux.Silo;

/// <summary>The body of a health answer: <c>{"status", "checks": [{"name", "status", "description", "data"}]}</c>.</summary>
internal static class HealthResponse
{
    public static async Task WriteAsync(HttpContext http, HealthReport report)
    {
        http.Response.ContentType = "application/json";
        await using var w = new Utf8JsonWriter(http.Response.Body);
        w.WriteStartObject();
        w.WriteString("status", report.Status.ToString());
        w.WriteStartArray("checks");
        foreach (var (name, entry) in report.Entries)
        {
            w.WriteStartObject();
            w.WriteString("name", name);
            w.WriteString("status", entry.Status.ToString());
            w.WriteString("description", entry.Description);
            if (entry.Data.Count > 0)
            {
                w.WriteStartObject("data");
                foreach (var (key, value) in entry.Data)
                {
                    w.WriteString(key, value?.ToString());
                }

                w.WriteEndObject();
            }

            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }
}
