using System.Globalization;

namespace Efflux.Grains;

/// <summary>Grain keys and the routing rule shared by the silo and the client.</summary>
public static class GrainKeys
{
    /// <summary>The key of a topic grain.</summary>
    public static string Topic(string ns, string topic) => ns + "/" + topic;

    /// <summary>The key of a partition grain.</summary>
    public static string Partition(string ns, string topic, int partition) => string.Create(CultureInfo.InvariantCulture, $"{ns}/{topic}/{partition}");

    /// <summary>The key of a segment grain: the sealed segment of a partition that starts at <paramref name="baseOffset"/>.</summary>
    public static string Segment(string ns, string topic, int partition, long baseOffset) => string.Create(CultureInfo.InvariantCulture, $"{ns}/{topic}/{partition}/{baseOffset}");

    /// <summary>The key of a consumer group grain.</summary>
    public static string Group(string ns, string topic, string group) => ns + "/" + topic + "/" + group;

    /// <summary>Splits a key into its parts.</summary>
    public static string[] Split(string key) => key.Split('/');

    /// <summary>The partition of a message group: FNV-1a of its UTF-8 bytes modulo the partition count (stable across processes and versions).</summary>
    public static int PartitionOf(string messageGroup, int partitions)
    {
        ArgumentNullException.ThrowIfNull(messageGroup);
        var hash = 2166136261u;
        foreach (var b in System.Text.Encoding.UTF8.GetBytes(messageGroup))
        {
            hash = unchecked((hash ^ b) * 16777619u);
        }

        return (int)(hash % (uint)partitions);
    }
}
