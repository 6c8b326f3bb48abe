using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace Efflux.Grains;

/// <summary>The silo's checkpoint-signing key, loaded from its PEM file or created there on first use.</summary>
public sealed class CheckpointKey : IDisposable
{
    private readonly Lazy<ECDsa> _key;

    /// <summary>Reads the key path from the options.</summary>
    public CheckpointKey(IOptions<EffluxOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var path = options.Value.CheckpointKeyPath ?? Path.Combine(options.Value.FullDataDirectory, "@checkpoint-key.pem");
        _key = new Lazy<ECDsa>(() => Load(path));
    }

    /// <summary>The key.</summary>
    public ECDsa Key => _key.Value;

    private static ECDsa Load(string path)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        if (File.Exists(path))
        {
            key.ImportFromPem(File.ReadAllText(path));
            return key;
        }

        Efflux.Storage.IO.PrivateFiles.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var temporary = path + ".tmp";
        using (var writer = new StreamWriter(new FileStream(temporary, Efflux.Storage.IO.PrivateFiles.Create(FileMode.CreateNew))))
        {
            writer.Write(key.ExportPkcs8PrivateKeyPem());
        }

        File.Move(temporary, path, overwrite: false);
        return key;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_key.IsValueCreated)
        {
            _key.Value.Dispose();
        }
    }
}
