using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Efflux;

/// <summary>
/// One API key as the silo keeps it: never the key itself, only its SHA-256. Keys are 256 random bits, so a plain hash
/// is as hard to reverse as the key is to guess.
/// </summary>
public sealed class ApiKeyEntry
{
    /// <summary>The key's public id (the part after <c>efx_</c>); it names the key in lists, logs and revocations.</summary>
    public required string Id { get; init; }

    /// <summary>Who or what holds the key, for people reading the list.</summary>
    public required string Name { get; init; }

    /// <summary><c>sha256:</c> and the lower-case hex SHA-256 of the whole key.</summary>
    public required string Hash { get; init; }

    /// <summary>Grants in the <see cref="NamespaceGrant.Parse"/> form.</summary>
    public required IReadOnlyList<string> Grants { get; init; }

    /// <summary>When the key was made.</summary>
    public DateTimeOffset Created { get; init; }

    /// <summary>The grants, parsed.</summary>
    /// <exception cref="EffluxException">A grant is malformed.</exception>
    public IReadOnlyList<NamespaceGrant> ParseGrants() => [.. Grants.Select(NamespaceGrant.Parse)];
}

/// <summary>API keys: <c>efx_{id}_{secret}</c>, made, hashed and matched here.</summary>
public static class ApiKeys
{
    /// <summary>The prefix of every key; a bearer token without it is taken for a JWT.</summary>
    public const string Prefix = "efx_";

    /// <summary>A new key and its entry: hand the key to its holder once, keep only the entry.</summary>
    public static (string Key, ApiKeyEntry Entry) Create(string name, IEnumerable<NamespaceGrant> grants, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        var key = Prefix + id + "_" + Base64Url(RandomNumberGenerator.GetBytes(32));
        return (key, new ApiKeyEntry { Id = id, Name = name, Hash = Hash(key), Grants = [.. grants.Select(g => g.ToString())], Created = now });
    }

    /// <summary>The id of a well-formed key, else null.</summary>
    public static string? IdOf(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var end = key.IndexOf('_', Prefix.Length);
        return key.StartsWith(Prefix, StringComparison.Ordinal) && end > Prefix.Length && end < key.Length - 1 ? key[Prefix.Length..end] : null;
    }

    /// <summary><c>sha256:</c> and the hex SHA-256 of the key's UTF-8 bytes.</summary>
    public static string Hash(string key) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    /// <summary>Whether <paramref name="key"/> is the key of <paramref name="entry"/> (compared in constant time).</summary>
    public static bool Matches(ApiKeyEntry entry, string key)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(entry.Hash), Encoding.ASCII.GetBytes(Hash(key)));
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

/// <summary>
/// The key file (<c>Efflux:Auth:KeyFile</c>): <c>{"keys":[…entries…]}</c>, written by <c>efflux keys</c> and read by
/// the silos, which notice changes without a restart.
/// </summary>
public static class KeyFile
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    /// <summary>The entries of the file; none when it does not exist.</summary>
    /// <exception cref="EffluxException">The file is not a key file.</exception>
    public static IReadOnlyList<ApiKeyEntry> Load(string path)
    {
        if (!File.Exists(path))
        {
            return [];
        }

        try
        {
            return JsonSerializer.Deserialize<Contents>(File.ReadAllBytes(path), Json)?.Keys ?? [];
        }
        catch (JsonException ex)
        {
            throw EffluxException.Invalid($"{path} is not an Efflux key file: {ex.Message}");
        }
    }

    /// <summary>Replaces the file with <paramref name="keys"/>: written beside it, flushed, then renamed over it, readable by its owner only.</summary>
    public static void Save(string path, IReadOnlyList<ApiKeyEntry> keys)
    {
        var full = Path.GetFullPath(path);
        var temporary = full + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(temporary, options))
        {
            JsonSerializer.Serialize(stream, new Contents { Keys = [.. keys] }, Json);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, full, overwrite: true);
    }

    private sealed class Contents
    {
        public List<ApiKeyEntry> Keys { get; init; } = [];
    }
}
