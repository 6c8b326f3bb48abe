using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace Efflux.Format;

/// <summary>
/// SHA-256 through the fastest correct path on this machine: the system libcrypto's low-level
/// <c>SHA256_Init/Update/Final</c> when they can be loaded (several times cheaper than
/// <see cref="SHA256.HashData(ReadOnlySpan{byte}, Span{byte})"/> for record-sized inputs, because they skip the EVP
/// provider look-up that both the BCL and OpenSSL 3's one-shot <c>SHA256()</c> pay per call), otherwise the BCL.
/// Thread-safe: the hash context lives on the caller's stack.
/// </summary>
public static unsafe class Sha256Fast
{
    // sizeof(SHA256_CTX) is 112 bytes; a little slack costs nothing.
    private const int ContextSize = 128;

    private static readonly delegate* unmanaged[SuppressGCTransition]<byte*, int> Init;
    private static readonly delegate* unmanaged[SuppressGCTransition]<byte*, byte*, nuint, int> Update;
    private static readonly delegate* unmanaged[SuppressGCTransition]<byte*, byte*, int> Final;
    private static readonly delegate* unmanaged<byte*, byte*, nuint, int> UpdateLong;

    // Inputs up to this size hash in well under a microsecond, so the call may skip the GC transition.
    private const int SmallInput = 16 * 1024;

#pragma warning disable CA1810 // the three exports must be loaded and probed together
    static Sha256Fast()
#pragma warning restore CA1810
    {
        if (Environment.GetEnvironmentVariable("EFFLUX_SHA256_MANAGED") == "1"
            || !NativeLibrary.TryLoad("libcrypto.so.3", out var lib)
            || !NativeLibrary.TryGetExport(lib, "SHA256_Init", out var init)
            || !NativeLibrary.TryGetExport(lib, "SHA256_Update", out var update)
            || !NativeLibrary.TryGetExport(lib, "SHA256_Final", out var final))
        {
            return;
        }

        Init = (delegate* unmanaged[SuppressGCTransition]<byte*, int>)init;
        Update = (delegate* unmanaged[SuppressGCTransition]<byte*, byte*, nuint, int>)update;
        Final = (delegate* unmanaged[SuppressGCTransition]<byte*, byte*, int>)final;
        UpdateLong = (delegate* unmanaged<byte*, byte*, nuint, int>)update;
        Span<byte> probe = stackalloc byte[RecordLayout.HashSize];
        Span<byte> expected = stackalloc byte[RecordLayout.HashSize];
        NativeHash("efflux"u8, probe);
        SHA256.HashData("efflux"u8, expected);
        if (!probe.SequenceEqual(expected))
        {
            Init = null;
        }
    }

    /// <summary>True when the libcrypto path is in use.</summary>
    public static bool IsNative => Init != null;

    /// <summary>Name of the path in use, for benchmark reports.</summary>
    public static string Implementation => IsNative ? "libcrypto SHA256_Init/Update/Final" : "SHA256.HashData";

    /// <summary>Hashes <paramref name="data"/> into <paramref name="destination"/> (32 bytes).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Hash(ReadOnlySpan<byte> data, Span<byte> destination)
    {
        if (destination.Length < RecordLayout.HashSize)
        {
            ThrowDestinationTooSmall();
        }

        if (Init == null)
        {
            SHA256.HashData(data, destination);
            return;
        }

        NativeHash(data, destination);
    }

    /// <summary>Hashes <paramref name="data"/> and returns a new 32-byte array.</summary>
    public static byte[] Hash(ReadOnlySpan<byte> data)
    {
        var result = new byte[RecordLayout.HashSize];
        Hash(data, result);
        return result;
    }

    /// <summary>The BCL path, kept callable so that benchmarks can compare both.</summary>
    public static void HashManaged(ReadOnlySpan<byte> data, Span<byte> destination) => SHA256.HashData(data, destination);

    private static void NativeHash(ReadOnlySpan<byte> data, Span<byte> destination)
    {
        var context = stackalloc byte[ContextSize];
        fixed (byte* d = data)
        fixed (byte* md = destination)
        {
            Init(context);
            if (data.Length <= SmallInput)
            {
                Update(context, d, (nuint)data.Length);
            }
            else
            {
                UpdateLong(context, d, (nuint)data.Length);
            }

            Final(md, context);
        }
    }

    private static void ThrowDestinationTooSmall() => throw new ArgumentException("The destination must hold 32 bytes.", "destination");
}
