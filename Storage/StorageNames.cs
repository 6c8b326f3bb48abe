using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Efflux.Storage;

/// <summary>
/// Validates namespace and topic names and builds the on-disk paths from them. A valid name is 1–128 characters of
/// <c>[A-Za-z0-9._-]</c> and is not <c>.</c> or <c>..</c>, so a path built from valid names cannot leave the data directory.
/// </summary>
public static class StorageNames
{
    /// <summary>Longest allowed name.</summary>
    public const int MaxLength = 128;

    /// <summary>The rule in words, for error messages.</summary>
    public const string Rule = "1–128 characters of A-Z a-z 0-9 . _ -, and not . or ..";

    /// <summary>Returns true when <paramref name="name"/> is a valid namespace or topic name.</summary>
    public static bool IsValid([NotNullWhen(true)] string? name) => Why(name) is null;

    /// <summary>Throws <see cref="InvalidNameException"/> when the name is invalid.</summary>
    public static void Validate(string? name, string kind)
    {
        if (Why(name) is { } reason)
        {
            throw new InvalidNameException(kind, name, reason);
        }
    }

    /// <summary>The directory of one partition, after validating every part.</summary>
    public static string PartitionDirectory(string dataDirectory, string ns, string topic, int partition)
    {
        Validate(ns, "namespace");
        Validate(topic, "topic");
        if (partition < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(partition), partition, "A partition number is zero or more.");
        }

        var root = Path.GetFullPath(dataDirectory);
        var dir = Path.GetFullPath(Path.Combine(root, ns, topic, partition.ToString(CultureInfo.InvariantCulture)));
        if (!dir.StartsWith(root.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new InvalidNameException("path", dir, "it resolves outside the data directory");
        }

        return dir;
    }

    /// <summary>The file name of the segment that starts at <paramref name="baseOffset"/>.</summary>
    public static string SegmentFileName(long baseOffset) => baseOffset.ToString("D20", CultureInfo.InvariantCulture) + ".log";

    /// <summary>Parses a segment file name; false for anything that is not exactly 20 digits and <c>.log</c>.</summary>
    public static bool TryParseSegmentFileName(string fileName, out long baseOffset)
    {
        baseOffset = -1;
        return fileName.Length == 24
            && fileName.EndsWith(".log", StringComparison.Ordinal)
            && fileName.AsSpan(0, 20).IndexOfAnyExceptInRange('0', '9') < 0
            && long.TryParse(fileName.AsSpan(0, 20), NumberStyles.None, CultureInfo.InvariantCulture, out baseOffset);
    }

    private static string? Why(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return "it is empty";
        }

        if (name.Length > MaxLength)
        {
            return $"it is longer than {MaxLength} characters";
        }

        if (name is "." or "..")
        {
            return "'.' and '..' are reserved";
        }

        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
            {
                return $"'{(char.IsControl(c) ? $"\\u{(int)c:x4}" : c)}' is not one of A-Z a-z 0-9 . _ -";
            }
        }

        return null;
    }
}
