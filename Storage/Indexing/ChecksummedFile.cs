using Efflux.Format;
using Efflux.Storage.IO;

namespace Efflux.Storage.Indexing;

/// <summary>
/// The envelope of every rebuildable side file (offsets, metadata index): the body followed by its SHA-256. A file that
/// is missing, torn or edited fails the check and is rebuilt from the <c>.log</c> file. Written to a temporary name and
/// renamed, so readers never see half a file; not fsynced, because losing it only costs a rebuild.
/// </summary>
internal static class ChecksummedFile
{
    public static void Write(string path, ReadOnlySpan<byte> body)
    {
        var temp = path + ".tmp";
        using (var fs = new FileStream(temp, PrivateFiles.Create(FileMode.Create, bufferSize: 1 << 16)))
        {
            fs.Write(body);
            fs.Write(Sha256Fast.Hash(body));
        }

        File.Move(temp, path, overwrite: true);
    }

    public static byte[]? TryRead(string path)
    {
        try
        {
            var bytes = File.ReadAllBytes(path);
            if (bytes.Length < RecordLayout.HashSize)
            {
                return null;
            }

            var body = bytes.AsSpan(0, bytes.Length - RecordLayout.HashSize);
            return Sha256Fast.Hash(body).AsSpan().SequenceEqual(bytes.AsSpan(body.Length)) ? body.ToArray() : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
