namespace Efflux.Service.Tests;

/// <summary>A silo that takes the API keys of a key file made by the test: one key per role, with the role's grants.</summary>
public sealed class KeyedSilo : IAsyncDisposable
{
    private KeyedSilo(InProcessSilo silo, string keyFile, IReadOnlyDictionary<string, string> keys) => (Silo, KeyFile, Keys) = (silo, keyFile, keys);

    public InProcessSilo Silo { get; }

    /// <summary>The key file (tests revoke keys by rewriting it).</summary>
    public string KeyFile { get; }

    /// <summary>The key of each role.</summary>
    public IReadOnlyDictionary<string, string> Keys { get; }

    public static async Task<KeyedSilo> StartAsync(IEnumerable<(string Role, string[] Grants)> roles)
    {
        var keys = new Dictionary<string, string>();
        var entries = new List<ApiKeyEntry>();
        foreach (var (role, grants) in roles)
        {
            var (key, entry) = ApiKeys.Create(role, grants.Select(NamespaceGrant.Parse), DateTimeOffset.UtcNow);
            keys[role] = key;
            entries.Add(entry);
        }

        var keyFile = Path.Combine(Path.GetTempPath(), "efflux-keys-" + Guid.NewGuid().ToString("N") + ".json");
        Efflux.KeyFile.Save(keyFile, entries);
        return new KeyedSilo(await InProcessSilo.StartAsync($"--Efflux:Auth:KeyFile={keyFile}"), keyFile, keys);
    }

    /// <summary>Removes a role's key from the key file.</summary>
    public void Revoke(string role)
        => Efflux.KeyFile.Save(KeyFile, [.. Efflux.KeyFile.Load(KeyFile).Where(k => k.Name != role)]);

    public async ValueTask DisposeAsync()
    {
        await Silo.DisposeAsync();
        File.Delete(KeyFile);
    }
}
