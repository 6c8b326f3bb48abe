using Efflux.Client;

namespace Efflux.Service.Tests;

/// <summary>The SDK example of README.md, run against a real silo (keep the two in step).</summary>
public sealed class ReadmeExampleTests
{
    public sealed record Order(string Sku, int Quantity);

    [Fact]
    public async Task TheReadmeSdkExample_Runs()
    {
        await using var silo = await InProcessSilo.StartAsync();

        await using var client = await EffluxClient.ConnectAsync(silo.Gateway);   // any silo's gateway
        await client.CreateTopicAsync("shop", "orders", new TopicConfig { Partitions = 3 });
        var orders = client.Topic("shop", "orders");

        var ack = await orders.AppendAsync(new ProduceMessage { Id = "o-1", MessageGroup = "customer-7", Payload = "{}"u8.ToArray() });

        await using (var producer = orders.CreateProducer(new ProducerOptions { Linger = TimeSpan.FromMilliseconds(2) }))
        {
            await producer.SendAsync(new ProduceMessage { Payload = "{}"u8.ToArray() });
        }

        var typed = client.Topic<Order>("shop", "typed-orders");
        await typed.AppendAsync(new Order("A-1", 2));

        var read = new List<EffluxMessage>();
        await foreach (var message in orders.ReadAsync(partition: ack.Partition, fromOffset: 0, follow: false, verifyChain: true))
        {
            read.Add(message);
        }

        Assert.Contains(read, m => m.Id == "o-1");

        var billing = orders.Group("billing");
        var consumed = 0;
        await foreach (var message in billing.ConsumeAsync(follow: false))
        {
            await billing.CommitAsync(message);
            consumed++;
        }

        Assert.Equal(2, consumed);
        Assert.Equal(0, (await billing.DescribeAsync()).Lag);
    }
}
