using System.Text;

namespace Efflux.Format;

/// <summary>The LinkedFingerprint of offset 0: SHA-256 of the UTF-8 string <c>efflux/v1/{namespace}/{topic}/{partition}</c>.</summary>
public static class Genesis
{
    /// <summary>Computes the genesis value for a partition.</summary>
    public static byte[] For(string ns, string topic, int partition)
        => Sha256Fast.Hash(Encoding.UTF8.GetBytes($"efflux/v1/{ns}/{topic}/{partition}"));
}
