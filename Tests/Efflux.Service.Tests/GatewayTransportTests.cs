using System.Reflection;
using Efflux.Client;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.DependencyInjection;

namespace Efflux.Service.Tests;

/// <summary>
/// The SDK's own gateway transport (large receives under Orleans' messaging): it is the one the client uses, it carries
/// megabytes both ways, and a silo that dies mid-read fails the read instead of hanging it, with the client working
/// again once the silo is back.
/// </summary>
[Collection(SiloProcessCollection.Name)]
public sealed class GatewayTransportTests : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "efflux-transport-" + Guid.NewGuid().ToString("N"));
    private SiloProcess _silo = null!;

    public async Task InitializeAsync()
    {
        _silo = new SiloProcess(_directory, []);
        await _silo.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _silo.DisposeAsync();
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public async Task TheClient_ConnectsThroughTheEffluxTransport()
    {
        await using var client = await EffluxClient.ConnectAsync(_silo.Gateway);
        var key = typeof(IClusterClient).Assembly.GetType("Orleans.Runtime.Messaging.ClientOutboundConnectionFactory")!
            .GetField("ServicesKey", BindingFlags.NonPublic | BindingFlags.Static)!.GetValue(null)!;
        var factory = client.Cluster.ServiceProvider.GetRequiredKeyedService<IConnectionFactory>(key);
        Assert.Equal("Efflux.Client", factory.GetType().Assembly.GetName().Name);
    }

    [Fact]
    public async Task ASiloKilledMidRead_FailsTheRead_AndTheClientWorksAgainOnceItIsBack()
    {
        await using var client = await EffluxClient.ConnectAsync(_silo.Gateway);
        var topic = client.Topic("transport", "t");
        var payload = new byte[4000];
        Random.Shared.NextBytes(payload);
        for (var i = 0; i < 10; i++)
        {
            await topic.AppendBatchAsync([.. Enumerable.Range(0, 1000).Select(_ => new ProduceMessage { Payload = payload })], new ProduceOptions { Acks = Acks.Durable });
        }

        // Forty megabytes read in full, then a read the silo's death cuts short.
        Assert.Equal(10_000, await topic.ReadAsync(0).CountAsync());
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var read = 0;
        var failure = await Record.ExceptionAsync(async () =>
        {
            await foreach (var m in topic.ReadAsync(0, follow: true, cancellationToken: timeout.Token))
            {
                Assert.Equal(payload, m.Payload);
                if (++read == 5000)
                {
                    _silo.Kill();
                }
            }
        });

        Assert.False(timeout.IsCancellationRequested, "the read hung after the silo died");
        Assert.Equal(EffluxError.Unavailable, Assert.IsType<EffluxException>(failure).Error);

        await _silo.StartAsync();
        var again = await Eventually.Succeeds(async () => await topic.ReadAsync(0).CountAsync(), TimeSpan.FromSeconds(60));
        Assert.Equal(10_000, again);
        Assert.Equal(10_000, (await topic.AppendAsync(new ProduceMessage { Payload = payload })).Offset);
    }
}
