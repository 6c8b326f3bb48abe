using System.Collections.Concurrent;

namespace Efflux.Service.Tests;

/// <summary>A graceful stop in the middle of appends: what was acknowledged is there after the restart, in one valid chain.</summary>
public sealed class ShutdownTests
{
    [Fact]
    public async Task GracefulStop_DrainsInFlightAppends_AndLosesNoAcknowledgedMessage()
    {
        await using var silo = await InProcessSilo.StartAsync();
        await using (var client = await silo.ConnectAsync())
        {
            await client.CreateTopicAsync("drain", "t", new TopicConfig { Partitions = 2 });
            var topic = client.Topic("drain", "t");
            var acknowledged = new ConcurrentBag<ProduceResult>();
            var failures = new ConcurrentBag<Exception>();
            using var stop = new CancellationTokenSource();
            var writers = Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
            {
                for (var i = 0; !stop.IsCancellationRequested; i++)
                {
                    try
                    {
                        var batch = Enumerable.Range(0, 20).Select(k => new ProduceMessage { Id = $"w{w}-{i}-{k}", Payload = [(byte)w, (byte)k] }).ToList();
                        foreach (var result in await topic.AppendBatchAsync(batch))
                        {
                            acknowledged.Add(result);
                        }
                    }
                    catch (Exception ex)
                    {
                        failures.Add(ex);
                        await Task.Delay(20);
                    }
                }
            })).ToList();

            // Stop while the writers are going full tilt.
            await Eventually.WaitUntil(() => acknowledged.Count >= 200);
            var before = acknowledged.Count;
            await silo.StopAsync();
            await stop.CancelAsync();
            await Task.WhenAll(writers).WaitAsync(TimeSpan.FromSeconds(60));
            Assert.True(before >= 200);
            Assert.All(failures, f => Assert.IsType<EffluxException>(f));

            await silo.StartAgainAsync();
            await using var again = await silo.ConnectAsync();
            var stored = new Dictionary<string, (int Partition, long Offset)>();
            for (var p = 0; p < 2; p++)
            {
                await foreach (var m in again.Topic("drain", "t").ReadAsync(p, verifyChain: true))
                {
                    stored[m.Id] = (p, m.Offset);
                }
            }

            Assert.All(acknowledged, a => Assert.Equal((a.Partition, a.Offset), stored[a.Id]));
        }
    }
}
