using Efflux.Client;
using Efflux.Grains;

namespace Efflux.Service.Tests;

/// <summary>
/// SDK clients (grain calls through the gateway) meet the permissions REST enforces: the grains check the API key each
/// call carries against the method's permission on the grain's namespace.
/// </summary>
public sealed class SdkAuthTests : IAsyncLifetime
{
    private KeyedSilo _keyed = null!;

    private IReadOnlyDictionary<string, string> Keys => _keyed.Keys;

    public async Task InitializeAsync()
        => _keyed = await KeyedSilo.StartAsync([("reader", ["orders=read"]), ("writer", ["orders=write"]), ("ns-admin", ["orders=admin"]), ("all-admin", ["all=admin"]), ("admin", ["*=admin"])]);

    public async Task DisposeAsync() => await _keyed.DisposeAsync();

    [Fact]
    public async Task EachSdkOperation_NeedsTheSamePermissionAsItsRoute()
    {
        await using var admin = await ConnectAsync(Keys["admin"]);
        await admin.CreateTopicAsync("orders", "t");
        await admin.CreateTopicAsync("shipping", "t");
        await admin.Topic("orders", "t").AppendAsync(new ProduceMessage { Payload = "{}"u8.ToArray() });

        // What each call needs; the roles hold read, write, admin on "orders" and admin everywhere.
        var operations = new (string Name, string Need, Func<EffluxClient, Task> Call)[]
        {
            ("describe", "read", c => c.Topic("orders", "t").DescribeAsync()),
            ("list", "read", c => c.ListTopicsAsync("orders")),
            ("fetch", "read", c => c.Topic("orders", "t").FetchAsync(0, 0)),
            ("read", "read", async c => { await foreach (var _ in c.Topic("orders", "t").ReadAsync(0)) { } }),
            ("commit", "read", c => c.Topic("orders", "t").Group("g").CommitAsync(0, 1)),
            ("verify", "read", c => c.Topic("orders", "t").VerifyAsync(0)),
            ("queries", "read", c => c.Queries.ListAsync("orders")),
            ("append", "write", c => c.Topic("orders", "t").AppendAsync(new ProduceMessage { Payload = "{}"u8.ToArray() })),
            ("create", "admin", c => c.CreateTopicAsync("orders", "made")),
            ("delete", "admin", c => c.DeleteTopicAsync("orders", "made")),
            ("other namespace", "elsewhere", c => c.Topic("shipping", "t").DescribeAsync()),

            // The namespace catalog (key "all") is every namespace's: a grant for a namespace named "all" is not enough.
            ("namespace catalog", "everywhere", c => c.Cluster.GetGrain<INamespaceCatalogGrain>(INamespaceCatalogGrain.Key).ListAsync()),

            // A grain method that declares no permission is for administrators of every namespace only.
            ("internal method", "everywhere", c => c.Cluster.GetGrain<INamespaceGrain>("orders").RemoveAsync("no-such-topic")),
        };
        var failures = new List<string>();
        foreach (var role in new[] { "none", "reader", "writer", "ns-admin", "all-admin", "admin" })
        {
            await using var client = await ConnectAsync(role == "none" ? null : Keys[role]);
            foreach (var (name, need, call) in operations)
            {
                var allowed = role switch
                {
                    "none" => false,
                    "admin" => true,
                    "ns-admin" => need is not ("elsewhere" or "everywhere"),
                    "all-admin" => false,
                    "reader" => need == "read",
                    _ => need == "write",
                };
                var error = await Record(call(client));
                var expected = role == "none" ? EffluxError.Unauthenticated : EffluxError.Forbidden;
                if (allowed ? error is EffluxException { Error: EffluxError.Unauthenticated or EffluxError.Forbidden } : error is not EffluxException e || e.Error != expected)
                {
                    failures.Add($"{name} as {role}: {(error is null ? "succeeded" : error.GetType().Name + " " + (error as EffluxException)?.Error + ": " + error.Message)}");
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }

    [Fact]
    public async Task AKeyRevokedWhileItsClientIsConnected_IsRefusedOnItsNextCalls()
    {
        await using var client = await ConnectAsync(Keys["reader"]);
        await using var admin = await ConnectAsync(Keys["admin"]);
        await admin.CreateTopicAsync("orders", "revoked");
        await client.ListTopicsAsync("orders");
        _keyed.Revoke("reader");
        await Eventually.Succeeds(async () =>
        {
            var refused = await Assert.ThrowsAsync<EffluxException>(() => client.ListTopicsAsync("orders"));
            Assert.Equal(EffluxError.Unauthenticated, refused.Error);
        });
    }

    [Fact]
    public async Task AWritersKey_NeverReachesTheClientsThatRecordsArePushedTo()
    {
        await using var admin = await ConnectAsync(Keys["admin"]);
        await admin.CreateTopicAsync("orders", "pushed");
        await using var reader = await ConnectAsync(Keys["reader"]);
        await using var writer = await ConnectAsync(Keys["writer"]);
        var seen = new List<object?>();
        var arrived = new TaskCompletionSource();
        await using var subscription = await reader.Topic("orders", "pushed").SubscribeAsync(0, 0, (_, _) =>
        {
            lock (seen)
            {
                seen.Add(Orleans.Runtime.RequestContext.Get(ClientKey.Name));
                if (seen.Count == 3)
                {
                    arrived.TrySetResult();
                }
            }

            return Task.CompletedTask;
        });
        for (var i = 0; i < 3; i++)
        {
            await writer.Topic("orders", "pushed").AppendAsync(new ProduceMessage { Payload = "{}"u8.ToArray() });
        }

        await arrived.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.All(seen, Assert.Null);
    }

    private async Task<EffluxClient> ConnectAsync(string? key)
    {
        var options = new EffluxClientOptions { ApiKey = key };
        options.Gateways.Add(_keyed.Silo.Gateway);
        return await EffluxClient.ConnectAsync(options);
    }

    private static async Task<Exception?> Record(Task call)
    {
        try
        {
            await call;
            return null;
        }
        catch (Exception ex)
        {
            return ex;
        }
    }
}
