using System.Collections.Frozen;
using System.Reflection;
using System.Security.Cryptography;

namespace Efflux.Silo.Ui;

/// <summary>
/// The pages, script, styles and chart code of /ui, embedded in the silo assembly (so a silo started from any working
/// directory serves them, and nothing is fetched from outside the machine).
/// </summary>
internal sealed class UiAssets
{
    private const string Prefix = "ui/";

    private static readonly FrozenDictionary<string, string> Types = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        [".html"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".svg"] = "image/svg+xml",
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    private readonly FrozenDictionary<string, Asset> _assets;

    public UiAssets()
    {
        var assembly = typeof(UiAssets).Assembly;
        _assets = assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(Prefix, StringComparison.Ordinal))
            .ToFrozenDictionary(n => n[Prefix.Length..], n => Load(assembly, n), StringComparer.Ordinal);
    }

    /// <summary>The asset with a file name (e.g. <c>topic.html</c>), if there is one.</summary>
    public Asset? Find(string name) => _assets.GetValueOrDefault(name);

    private static Asset Load(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource) ?? throw new InvalidOperationException($"missing resource {resource}");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        var bytes = copy.ToArray();
        var type = Types.GetValueOrDefault(Path.GetExtension(resource), "application/octet-stream");
        return new Asset(bytes, type, "\"" + Convert.ToHexStringLower(SHA256.HashData(bytes).AsSpan(0, 8)) + "\"");
    }

    /// <summary>An asset's bytes, content type and entity tag.</summary>
    internal sealed record Asset(byte[] Bytes, string ContentType, string ETag);
}
