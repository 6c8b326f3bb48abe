using System.Text.Json;

namespace Efflux.Grains.Streams;

/// <summary>How the stream provider turns typed events into JSON payloads and back: web defaults (camelCase).</summary>
internal static class StreamJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web);
}
