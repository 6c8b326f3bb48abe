using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Efflux.Storage.Log;

/// <summary>
/// Ids for messages whose producer gave none: 32 lowercase hex digits, a random 64-bit process prefix followed by a
/// 64-bit number. Unique across processes and restarts with overwhelming probability, and about thirty times cheaper
/// than <see cref="Guid.CreateVersion7()"/>, which draws from the system RNG on every call. A call reserves a run of
/// numbers at once; an id becomes text only where it is needed (in the record's metadata, and when a caller reads its
/// result), so a batch waiting for its fsync holds no id strings. Thread-safe.
/// </summary>
internal static class GeneratedIds
{
    /// <summary>The length of every generated id.</summary>
    public const int Length = 32;

    private static readonly string Prefix = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
    private static long _counter;

    /// <summary>Reserves <paramref name="count"/> consecutive numbers and returns the first.</summary>
    public static ulong Reserve(int count) => (ulong)(Interlocked.Add(ref _counter, count) - count + 1);

    /// <summary>The id of number <paramref name="number"/>.</summary>
    public static string Format(ulong number) => string.Create(Length, number, static (span, n) => Write(n, span));

    /// <summary>Writes the id of number <paramref name="number"/> into <paramref name="into"/> (at least <see cref="Length"/> chars) and returns it.</summary>
    public static ReadOnlySpan<char> Write(ulong number, Span<char> into)
    {
        // On the writer's serial path, once per record: the vectorised hex conversion, not the numeric formatter's.
        Span<byte> bytes = stackalloc byte[sizeof(ulong)];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, number);
        Prefix.CopyTo(into);
        Convert.TryToHexStringLower(bytes, into[Prefix.Length..], out _);
        return into[..Length];
    }
}
