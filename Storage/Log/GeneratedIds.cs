using System.Security.Cryptography;

namespace Efflux.Storage.Log;

/// <summary>
/// Ids for messages whose producer gave none: 32 lowercase hex digits, a random 64-bit process prefix followed by a
/// 64-bit counter. Unique across processes and restarts with overwhelming probability, and about thirty times cheaper
/// than <see cref="Guid.CreateVersion7()"/>, which draws from the system RNG on every call. Thread-safe.
/// </summary>
internal static class GeneratedIds
{
    private static readonly ulong Prefix = BitConverter.ToUInt64(RandomNumberGenerator.GetBytes(8));
    private static long _counter;

    public static string Next()
    {
        var n = (ulong)Interlocked.Increment(ref _counter);
        return string.Create(32, n, static (span, counter) =>
        {
            Prefix.TryFormat(span, out _, "x16", System.Globalization.CultureInfo.InvariantCulture);
            counter.TryFormat(span[16..], out _, "x16", System.Globalization.CultureInfo.InvariantCulture);
        });
    }
}
