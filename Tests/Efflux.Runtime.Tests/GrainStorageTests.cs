using Efflux.Runtime.AzureStorage;
using Efflux.Runtime.Hosting;
using Efflux.Runtime.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Efflux.Runtime.Tests;

/// <summary>Grain state through the memory and file providers: survives deactivation and restart, and every write is ETag-guarded.</summary>
public sealed class GrainStorageTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "efflux-state-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public async Task MemoryState_SurvivesDeactivation()
    {
        using var host = await StartAsync(s => s.AddMemoryGrainStorage("store"));
        var grains = host.Services.GetRequiredService<IGrainFactory>();
        var account = grains.GetGrain<IAccountGrain>("alice");
        await account.DepositAsync(10);
        await account.DepositAsync(5);
        await account.LeaveAsync();

        // The next call waits for the old activation to go, then a new one reads the stored state.
        Assert.Equal(15, await account.BalanceAsync());
        Assert.True(await account.ExistsAsync());
        await host.StopAsync();
    }

    [Fact]
    public async Task FileState_SurvivesSiloRestart_AndClearRemovesIt()
    {
        using (var first = await StartAsync(s => s.AddFileGrainStorage("store", _directory)))
        {
            await first.Services.GetRequiredService<IGrainFactory>().GetGrain<IAccountGrain>("bob").DepositAsync(42);
            await first.StopAsync();
        }

        using var second = await StartAsync(s => s.AddFileGrainStorage("store", _directory));
        var bob = second.Services.GetRequiredService<IGrainFactory>().GetGrain<IAccountGrain>("bob");
        Assert.Equal(42, await bob.BalanceAsync());
        await bob.ClearAsync();
        Assert.False(await bob.ExistsAsync());
        Assert.Equal(0, await bob.BalanceAsync());
        await second.StopAsync();
    }

    [Fact]
    public async Task GracefulShutdown_PersistsWhatGrainsWriteOnDeactivation()
    {
        using (var first = await StartAsync(s => s.AddFileGrainStorage("store", _directory)))
        {
            var grains = first.Services.GetRequiredService<IGrainFactory>();
            await Task.WhenAll(Enumerable.Range(0, 20).Select(i => grains.GetGrain<IBufferedGrain>("b" + i).AddAsync(i + 1)));
            await first.StopAsync();
        }

        using var second = await StartAsync(s => s.AddFileGrainStorage("store", _directory));
        var again = second.Services.GetRequiredService<IGrainFactory>();
        var totals = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => again.GetGrain<IBufferedGrain>("b" + i).StoredTotalAsync()));
        Assert.Equal(Enumerable.Range(1, 20).Select(i => (long)i), totals);
        await second.StopAsync();
    }

    [Fact]
    public async Task MissingStorageProvider_FailsActivationWithAClearError()
    {
        using var host = await StartAsync(s => s.AddMemoryGrainStorage("store"));
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => host.Services.GetRequiredService<IGrainFactory>().GetGrain<INoStoreGrain>("x").PingAsync());
        Assert.Contains("No grain storage named 'missing'", ex.Message, StringComparison.Ordinal);
        await host.StopAsync();
    }

    [Theory]
    [InlineData("memory")]
    [InlineData("file")]
    [InlineData("azure")]
    public async Task StaleWriter_GetsInconsistentState_AndLosesNothingOfTheOther(string provider)
    {
        using var azurite = provider == "azure" ? await AzuriteServer.StartAsync() : null;
        IGrainStorage storage = provider switch
        {
            "memory" => new MemoryGrainStorage(),
            "file" => new FileGrainStorage(_directory),
            _ => new AzureBlobGrainStorage(azurite!.ConnectionString, "conflicts"),
        };
        var id = new GrainId("tests.account", "carol");
        var a = new PersistentState<AccountState>(storage, id, "account");
        var b = new PersistentState<AccountState>(storage, id, "account");
        await a.ReadStateAsync();
        await b.ReadStateAsync();

        a.State.Balance = 100;
        await a.WriteStateAsync();
        b.State.Balance = 999;
        var ex = await Assert.ThrowsAsync<InconsistentStateException>(() => b.WriteStateAsync());
        Assert.Contains("changed since it was read", ex.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<InconsistentStateException>(() => b.ClearStateAsync());

        var check = new PersistentState<AccountState>(storage, id, "account");
        await check.ReadStateAsync();
        Assert.Equal(100, check.State.Balance);

        // After re-reading, the second writer may write.
        await b.ReadStateAsync();
        b.State.Balance = 7;
        await b.WriteStateAsync();
        await check.ReadStateAsync();
        Assert.Equal(7, check.State.Balance);
    }

    [Fact]
    public async Task AzureBlobState_SurvivesSiloRestart_OnAzurite()
    {
        using var azurite = await AzuriteServer.StartAsync();
        using (var first = await StartAsync(s => s.AddAzureBlobGrainStorage("store", azurite.ConnectionString)))
        {
            await first.Services.GetRequiredService<IGrainFactory>().GetGrain<IAccountGrain>("dana").DepositAsync(42);
            await first.StopAsync();
        }

        using var second = await StartAsync(s => s.AddAzureBlobGrainStorage("store", azurite.ConnectionString));
        var dana = second.Services.GetRequiredService<IGrainFactory>().GetGrain<IAccountGrain>("dana");
        Assert.Equal(47, await dana.DepositAsync(5));
        await dana.ClearAsync();
        Assert.False(await dana.ExistsAsync());
        await second.StopAsync();
    }

    [Theory]
    [InlineData("file")]
    [InlineData("azure")]
    public async Task RacingWriters_ExactlyOneWinsEachRound(string provider)
    {
        using var azurite = provider == "azure" ? await AzuriteServer.StartAsync() : null;
        IGrainStorage storage = provider == "file" ? new FileGrainStorage(_directory) : new AzureBlobGrainStorage(azurite!.ConnectionString, "races");
        var id = new GrainId("tests.account", "race");
        var etag = await storage.WriteAsync(id, "s", "0"u8.ToArray(), null, CancellationToken.None);
        for (var round = 0; round < 20; round++)
        {
            var expected = etag;
            var attempts = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(async () =>
            {
                try
                {
                    return await storage.WriteAsync(id, "s", new[] { (byte)i }, expected, CancellationToken.None);
                }
                catch (InconsistentStateException)
                {
                    return null;
                }
            })));
            etag = Assert.Single(attempts, a => a is not null)!;
        }
    }

    [Fact]
    public async Task FileStorage_HostileKeys_StayInsideTheDirectory()
    {
        var storage = new FileGrainStorage(_directory);
        foreach (var key in new[] { "../../escape", "..", ".", "/etc/passwd", "a/b\\c", "ключ", string.Empty })
        {
            var id = new GrainId("../type", key);
            var path = storage.PathOf(id, "../state");
            Assert.StartsWith(Path.GetFullPath(_directory) + Path.DirectorySeparatorChar, path, StringComparison.Ordinal);
            await storage.WriteAsync(id, "../state", "x"u8.ToArray(), null, CancellationToken.None);
            Assert.Equal("x"u8.ToArray(), (await storage.ReadAsync(id, "../state", CancellationToken.None))!.Data.ToArray());
        }

        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.GetDirectoryName(Path.GetFullPath(_directory))!, "escape*"));
    }

    [Fact]
    public async Task FileStorage_LeftoverTemporaryOrDamagedFile_IsHandled()
    {
        var storage = new FileGrainStorage(_directory);
        var id = new GrainId("t", "k");
        var etag = await storage.WriteAsync(id, "s", "good"u8.ToArray(), null, CancellationToken.None);
        var path = storage.PathOf(id, "s");

        // A crash between writing the temporary file and the rename leaves the temporary file: the state is the old one.
        await File.WriteAllTextAsync(path + ".tmp-crashed", "half a write");
        var stored = await storage.ReadAsync(id, "s", CancellationToken.None);
        Assert.Equal("good"u8.ToArray(), stored!.Data.ToArray());
        Assert.Equal(etag, stored.Etag);

        await File.WriteAllTextAsync(path, "not a state file");
        var ex = await Assert.ThrowsAsync<InvalidDataException>(() => storage.ReadAsync(id, "s", CancellationToken.None));
        Assert.Contains("bad header", ex.Message, StringComparison.Ordinal);
    }

    private static async Task<IHost> StartAsync(Action<IServiceCollection> storage)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.UseEffluxSilo();
        storage(builder.Services);
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }
}
