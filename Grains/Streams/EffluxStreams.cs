using System.Globalization;

namespace Efflux.Grains.Streams;

/// <summary>
/// How the Efflux stream provider names streams: one stream per partition, namespace <c>{ns}/{topic}</c> and key the
/// partition number.
/// </summary>
public static class EffluxStreams
{
    /// <summary>The name of the stream provider the silo registers, which live queries read through.</summary>
    public const string ProviderName = "efflux";

    /// <summary>The stream of partition <paramref name="partition"/> of topic <c>{ns}/{topic}</c>.</summary>
    public static StreamId Of(string ns, string topic, int partition)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(partition);
        return StreamId.Create(ns + "/" + topic, partition.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>The topic and partition a stream id names.</summary>
    /// <exception cref="EffluxException">The id is not <c>{ns}/{topic}</c> with a partition number as key.</exception>
    public static (string Ns, string Topic, int Partition) Parse(StreamId stream)
    {
        var name = stream.GetNamespace() ?? "";
        var slash = name.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == name.Length - 1 || name.IndexOf('/', slash + 1) >= 0
            || !int.TryParse(stream.GetKeyAsString(), NumberStyles.None, CultureInfo.InvariantCulture, out var partition))
        {
            throw EffluxException.Invalid($"Stream {stream} is not an Efflux partition: its namespace must be {{ns}}/{{topic}} and its key a partition number.");
        }

        return (name[..slash], name[(slash + 1)..], partition);
    }
}
