using Microsoft.Win32.SafeHandles;

namespace Efflux.Storage.IO;

/// <summary>
/// Files and directories that only the silo's own user may read: data files, index files, grain state and keys are
/// created 0600 and their directories 0700, whatever the process umask. (No-ops on Windows, where ACLs apply.)
/// </summary>
public static class PrivateFiles
{
    /// <summary>rw------- : read and write for the owner only.</summary>
    public const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>rwx------ : the owner only.</summary>
    public const UnixFileMode DirectoryMode = FileMode | UnixFileMode.UserExecute;

    /// <summary>Creates <paramref name="path"/> and any missing parent as owner-only directories.</summary>
    public static void CreateDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
        }
        else
        {
            // Directory.CreateDirectory(path, mode) gives the mode to the last level only: create each missing one.
            var missing = new Stack<string>();
            for (var at = Path.GetFullPath(path); !Directory.Exists(at); at = Path.GetDirectoryName(at)!)
            {
                missing.Push(at);
            }

            while (missing.TryPop(out var level))
            {
                Directory.CreateDirectory(level, DirectoryMode);
            }
        }
    }

    /// <summary>Makes an open file owner-only (a file created under the umask, or by an older version, becomes 0600).</summary>
    public static void Restrict(SafeFileHandle handle)
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(handle, FileMode);
        }
    }

    /// <summary>Options for a new file stream whose file is created owner-only.</summary>
    public static FileStreamOptions Create(System.IO.FileMode mode, FileOptions options = FileOptions.None, int bufferSize = 4096)
    {
        var stream = new FileStreamOptions { Mode = mode, Access = FileAccess.Write, Share = FileShare.None, Options = options, BufferSize = bufferSize };
        if (!OperatingSystem.IsWindows())
        {
            stream.UnixCreateMode = FileMode;
        }

        return stream;
    }
}
