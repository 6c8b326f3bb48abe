using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace Efflux.Storage.Format;

/// <summary>
/// SHA-256 through the fastest correct path on this machine: the system libcrypto's one-shot
/// <c>SHA256()</c> when it can be loaded (about a third of the cost of <see cref="SHA256.HashData(ReadOnlySpan{byte}, Span{byte})"/>
/// for record-sized inputs, because it skips the EVP context set-up), otherwise the BCL.
/// Thread-safe: the native function keeps no state between calls.
/// </summary>
public static unsafe partial class Sha256Fast
{
    // Inputs up to this size hash in well under a microsecond, so the call may skip the GC transition.
    private const int SmallInput = 16 * 1024;

    private static readonly delegate* unmanaged<byte*, nuint, byte*, byte*> NativeSha256 = LoadNative();

    /// <summary>True when the libcrypto path is in use.</summary>
    public static bool IsNative => NativeSha256 != null;

    /// <summary>Name of the path in use, for benchmark reports.</summary>
    public static string Implementation => IsNative ? "libcrypto SHA256()" : "SHA256.HashData";

    /// <summary>Hashes <paramref name="data"/> into <paramref name="destination"/> (32 bytes).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Hash(ReadOnlySpan<byte> data, Span<byte> destination)
    {
        if (NativeSha256 == null)
        {
            SHA256.HashData(data, destination);
            return;
        }

        if (destination.Length < RecordLayout.HashSize)
        {
            ThrowDestinationTooSmall();
        }

        fixed (byte* d = data)
        fixed (byte* md = destination)
        {
            if (data.Length <= SmallInput)
            {
                NativeSmall(d, (nuint)data.Length, md);
            }
            else
            {
                NativeSha256(d, (nuint)data.Length, md);
            }
        }
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

    [LibraryImport("libcrypto.so.3", EntryPoint = "SHA256")]
    [SuppressGCTransition]
    [UnmanagedCallConv(CallConvs = [typeof(System.Runtime.CompilerServices.CallConvCdecl)])]
    private static partial byte* NativeSmall(byte* d, nuint n, byte* md);

    private static delegate* unmanaged<byte*, nuint, byte*, byte*> LoadNative()
    {
        if (Environment.GetEnvironmentVariable("EFFLUX_SHA256_MANAGED") == "1")
        {
            return null;
        }

        if (!NativeLibrary.TryLoad("libcrypto.so.3", out var lib) || !NativeLibrary.TryGetExport(lib, "SHA256", out var fn))
        {
            return null;
        }

        var f = (delegate* unmanaged<byte*, nuint, byte*, byte*>)fn;
        Span<byte> probe = stackalloc byte[RecordLayout.HashSize];
        Span<byte> expected = stackalloc byte[RecordLayout.HashSize];
        ReadOnlySpan<byte> input = "efflux"u8;
        fixed (byte* d = input)
        fixed (byte* md = probe)
        {
            f(d, (nuint)input.Length, md);
        }

        SHA256.HashData(input, expected);
        return probe.SequenceEqual(expected) ? f : null;
    }

    private static void ThrowDestinationTooSmall() => throw new ArgumentException("The destination must hold 32 bytes.", "destination");
}
