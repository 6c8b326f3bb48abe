namespace Efflux.Storage.IO;

/// <summary>
/// The file operations of the write path, behind one seam so that tests can inject fsync failures and a full disk.
/// Reads go straight to the files.
/// </summary>
public interface IStorageFileSystem
{
    /// <summary>Opens (creating when missing) a segment file for appending.</summary>
    ILogFile OpenLog(string path);

    /// <summary>Makes a directory's entries durable (fsync of the directory).</summary>
    void SyncDirectory(string path);
}

/// <summary>A segment file open for writing. Used by one writer thread at a time.</summary>
public interface ILogFile : IDisposable
{
    /// <summary>Current file length in bytes.</summary>
    long Length { get; }

    /// <summary>Writes all of <paramref name="data"/> at <paramref name="position"/>.</summary>
    void Write(ReadOnlySpan<byte> data, long position);

    /// <summary>Makes every completed write durable (fdatasync).</summary>
    void Flush();

    /// <summary>Cuts the file to <paramref name="length"/> bytes.</summary>
    void Truncate(long length);
}
