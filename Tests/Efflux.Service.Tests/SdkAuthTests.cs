using Efflux.Client;

namespace Efflux.Service.Tests;

/// <summary>
/// SDK clients (grain calls through the gateway) meet the permissions REST enforces: the grains check the API key each
/// call carries against the method's permission on the grain's namespace.
/// </summary>
public sealed class SdkAuthTests : IAsyncLifetime
{
    private readonly string _keyFile = Path.Combine(Path.GetTempPath(), "efflux-keys-" + Guid.NewGuid().ToString("N") + ".json");
    private readonly Dictionary<string, string> _keys = [];
    private InProcessSilo _silo = null!;

    public async Task InitializeAsync()
    {
        var entries = new List<ApiKeyEntry>();
        foreach (var (role, grant) in new[] { ("reader", "orders=read"), ("writer", "orders=write"), ("ns-admin", "orders=admin"), ("admin", "*=admin") })
        {
            var (key, entry) = ApiKeys.Create(role, [NamespaceGrant.Parse(grant)], DateTimeOffset.UtcNow);
            _keys[role] = key;
            entries.Add(entry);
        }

        KeyFile.Save(_keyFile, entries);
        _silo = await InProcessSilo.StartAsync($"--Efflux:Auth:KeyFile={_keyFile}");
    }

    public async Task DisposeAsync()
    {
        await _silo.DisposeAsync();
        File.Delete(_keyFile);
    }

    [Fact]
    public async Task EachSdkOperation_NeedsTheSamePermissionAsItsRoute()
    {
        await using var admin = await ConnectAsync(_keys["admin"]);
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
        };
        var failures = new List<string>();
        foreach (var role in new[] { "none", "reader", "writer", "ns-admin", "admin" })
        {
            await using var client = await ConnectAsync(role == "none" ? null : _keys[role]);
            foreach (var (name, need, call) in operations)
            {
                var allowed = role switch
                {
                    "none" => false,
                    "admin" => true,
                    "ns-admin" => need != "elsewhere",
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
        await using var client = await ConnectAsync(_keys["reader"]);
        await using var admin = await ConnectAsync(_keys["admin"]);
        await admin.CreateTopicAsync("orders", "revoked");
        await client.ListTopicsAsync("orders");
        KeyFile.Save(_keyFile, [.. KeyFile.Load(_keyFile).Where(k => k.Name != "reader")]);
        await Eventually.Succeeds(async () =>
        {
            var refused = await Assert.ThrowsAsync<EffluxException>(() => client.ListTopicsAsync("orders"));
            Assert.Equal(EffluxError.Unauthenticated, refused.Error);
        });
    }

    private async Task<EffluxClient> ConnectAsync(string? key)
    {
        var options = new EffluxClientOptions { ApiKey = key };
        options.Gateways.Add(_silo.Gateway);
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
