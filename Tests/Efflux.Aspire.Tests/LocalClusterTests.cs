using System.Net;
using System.Text;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Efflux.Aspire.Tests;

/// <summary>
/// The Aspire AppHost (aspire/Efflux.AppHost) started as a whole by Aspire.Hosting.Testing: redis-server, Azurite and
/// three silos really run; a message produced through one silo's REST API is read through another's.
/// </summary>
public sealed class LocalClusterTests
{
    private static readonly string[] Resources = ["redis-server", "azurite", "silo1", "silo2", "silo3"];

    [Fact]
    public async Task TheAppHostStartsEveryResourceHealthy_AMessageProducedThroughOneSiloIsReadThroughAnother_AndASecondRunFindsIt()
    {
        var data = Path.Combine(Path.GetTempPath(), "efflux-aspire-" + Guid.NewGuid().ToString("N"));
        try
        {
            await using (var first = await StartAsync(data))
            {
                using var silo1 = first.App.CreateHttpClient("silo1", "http");
                using var silo3 = first.App.CreateHttpClient("silo3", "http");
                using var create = await silo1.PutAsync("/v1/topics/local/orders", Json("""{"partitions":3}"""), first.Cancel);
                Assert.Equal(HttpStatusCode.Created, create.StatusCode);
                using var produced = await silo1.PostAsync("/v1/topics/local/orders/messages", Json("""{"messages":[{"id":"a-1","messageGroup":"x","data":{"sku":7}}]}"""), first.Cancel);
                Assert.Equal(HttpStatusCode.Created, produced.StatusCode);
                Assert.Equal(7, await SkuAsync(silo3, first.Cancel));

                // The three silos are one Orleans cluster: each sees all three active.
                using var cluster = JsonDocument.Parse(await silo3.GetStringAsync("/v1/cluster", first.Cancel));
                var active = cluster.RootElement.GetProperty("silos").EnumerateArray().Where(s => s.GetProperty("status").GetString() == "Active").Select(s => s.GetProperty("name").GetString() ?? "").Order().ToArray();
                Assert.Equal(["silo1", "silo2", "silo3"], active);
            }

            // A second run on the same data: topic, partition homes and the message are there.
            await using var second = await StartAsync(data);
            using var silo2 = second.App.CreateHttpClient("silo2", "http");
            Assert.Equal(7, await SkuAsync(silo2, second.Cancel));
        }
        finally
        {
            try
            {
                Directory.Delete(data, recursive: true);
            }
            catch (IOException)
            {
                // A file still held by a stopping process; the temp directory is cleaned later.
            }
        }
    }

    /// <summary>Starts the AppHost on a data root and waits until every resource of its model reports healthy.</summary>
    private static async Task<Running> StartAsync(string data)
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Efflux_AppHost>(
            [$"--Efflux:DataRoot={data}"], (options, _) => options.DisableDashboard = true);
        var app = await builder.BuildAsync();
        var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var logs = Task.Run(() => WatchLogsAsync(app, timeout.Token));
        await app.StartAsync(timeout.Token);
        var notifications = app.Services.GetRequiredService<ResourceNotificationService>();
        var model = app.Services.GetRequiredService<DistributedApplicationModel>();
        // Every resource the Aspire dashboard lists (hidden helper resources, such as project rebuilders, are not).
        var listed = model.Resources.Where(r => !notifications.TryGetCurrentState(r.Name, out var state) || !state.Snapshot.IsHidden).Select(r => r.Name).ToList();
        Assert.Superset(Resources.ToHashSet(), listed.ToHashSet());
        foreach (var resource in listed)
        {
            await notifications.WaitForResourceHealthyAsync(resource, timeout.Token);
        }

        return new Running(app, timeout, logs);
    }

    private static async Task<int> SkuAsync(HttpClient silo, CancellationToken cancel)
    {
        using var message = await silo.GetAsync("/v1/topics/local/orders/messages/by-id/a-1", cancel);
        var body = await message.Content.ReadAsStringAsync(cancel);
        Assert.True(message.IsSuccessStatusCode, body);
        using var json = JsonDocument.Parse(body);
        return json.RootElement.GetProperty("data").GetProperty("sku").GetInt32();
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    /// <summary>A started AppHost; disposing stops every resource.</summary>
    private sealed class Running(DistributedApplication app, CancellationTokenSource timeout, Task logs) : IAsyncDisposable
    {
        public DistributedApplication App => app;

        public CancellationToken Cancel => timeout.Token;

        public async ValueTask DisposeAsync()
        {
            await app.StopAsync();
            await app.DisposeAsync();
            await timeout.CancelAsync();
            await logs;
            timeout.Dispose();
        }
    }

    private static async Task WatchLogsAsync(DistributedApplication app, CancellationToken cancel)
    {
        var service = app.Services.GetRequiredService<ResourceLoggerService>();
        try
        {
            await Task.WhenAll(Resources.Select(async r =>
            {
                await foreach (var batch in service.WatchAsync(r).WithCancellation(cancel))
                {
                    foreach (var line in batch)
                    {
                        Console.WriteLine($"[{r}] {line.Content}");
                    }
                }
            }));
        }
        catch (OperationCanceledException)
        {
        }
    }
}
