using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Efflux.Testing;

namespace Efflux.Bench;

/// <summary>
/// REST reads against a silo process: batch reads from offset 0, batch and single-message reads at 8 in flight, topic
/// descriptions and offset-for-time lookups. Run it before and after a change to the REST layer (same machine, same
/// run settings) and compare the medians.
/// </summary>
internal static class RestBench
{
    private const int PayloadBytes = 100;
    private const int InFlight = 8;

    public static async Task<int> RunAsync(BenchOptions o)
    {
        Console.WriteLine($"REST read benchmark: {o.Messages:N0} messages of {PayloadBytes} B, {o.Runs} runs (medians)");
        var results = await Measurement.MediansAsync(o.Runs, "requests", run => OneRunAsync(o, run));
        Measurement.WriteJsonIfAsked(o.JsonFile, results);

        return 0;
    }

    private static async Task<List<Measurement>> OneRunAsync(BenchOptions o, int run)
    {
        var directory = o.FreshDirectory("rest-" + run.ToString(CultureInfo.InvariantCulture));

        var httpPort = LoopbackPort.Free();
        var results = new List<Measurement>();
        using (await ServiceBench.SiloPeer.StartAsync(httpPort, LoopbackPort.Free(), LoopbackPort.Free(), directory))
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}") };
            (await http.PutAsync("/v1/topics/bench/read", Json("""{"partitions":1}"""))).EnsureSuccessStatusCode();
            var body = "{\"messages\":[" + string.Join(',', Enumerable.Repeat("{\"data\":{\"n\":1,\"text\":\"" + new string('x', PayloadBytes - 20) + "\"}}", 100)) + "]}";
            await Driver.DriveAsync("fill", o.Messages / 100, InFlight, async _ => (await http.PostAsync("/v1/topics/bench/read/messages", Json(body))).EnsureSuccessStatusCode());
            var messages = o.Messages / 100 * 100;

            await Driver.WarmAsync(() => ReadAllAsync(http, messages));
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var read = await ReadAllAsync(http, messages);
            results.Add(Measurement.Of("REST batch read from offset 0 to the end, 1000 per request", read, 0, clock.Elapsed));

            results.Add(await RequestsAsync(http, "REST batch read of 100 at spread offsets, 8 in flight", messages / 100, n => $"/v1/topics/bench/read/partitions/0/messages?from={n * 100 % messages}&max=100"));
            results.Add(await RequestsAsync(http, "REST fetch one message by offset, 8 in flight", messages / 10, n => $"/v1/topics/bench/read/partitions/0/messages/{n * 7 % messages}"));
            results.Add(await RequestsAsync(http, "REST describe topic, 8 in flight", 20_000, _ => "/v1/topics/bench/read"));
            results.Add(await RequestsAsync(http, "REST offset for time, 8 in flight", 20_000, _ => "/v1/topics/bench/read/partitions/0/offsets?time=2000-01-01T00:00:00Z"));
        }

        Directory.Delete(directory, recursive: true);
        return results;
    }

    private static StringContent Json(string json)
    {
        var content = new StringContent(json, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    private static async Task<long> ReadAllAsync(HttpClient http, int messages)
    {
        long from = 0;
        long read = 0;
        while (from < messages)
        {
            using var response = await http.GetAsync($"/v1/topics/bench/read/partitions/0/messages?from={from}&max=1000");
            using var json = await JsonDocument.ParseAsync(await response.EnsureSuccessStatusCode().Content.ReadAsStreamAsync());
            read += json.RootElement.GetProperty("messages").GetArrayLength();
            from = json.RootElement.GetProperty("partitions")[0].GetProperty("nextOffset").GetInt64();
        }

        return read;
    }

    private static async Task<Measurement> RequestsAsync(HttpClient http, string scenario, int requests, Func<int, string> url)
    {
        async Task<int> Call(int n)
        {
            using var response = await http.GetAsync(url(n));
            return (await response.EnsureSuccessStatusCode().Content.ReadAsByteArrayAsync()).Length;
        }

        await Driver.WarmAsync(() => Driver.DriveAsync("warm-up", Math.Min(requests, 2_000), InFlight, Call));
        return await Driver.DriveAsync(scenario, requests, InFlight, Call);
    }
}
