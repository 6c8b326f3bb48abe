using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Efflux.Storage.Tests;

/// <summary>
/// A verifier written from docs/FORMAT.md alone, sharing no code with the engine: if the format document and the
/// engine disagree, this fails.
/// </summary>
internal static class IndependentVerifier
{
    public static long Verify(string partitionDir, string ns, string topic, int partition)
    {
        var link = SHA256.HashData(Encoding.UTF8.GetBytes($"efflux/v1/{ns}/{topic}/{partition}"));
        long expected = 0;
        var files = Directory.GetFiles(partitionDir, "*.log").Order(StringComparer.Ordinal).ToList();
        foreach (var file in files)
        {
            var bytes = File.ReadAllBytes(file);
            var last = file == files[^1];
            Assert.Equal(expected, long.Parse(Path.GetFileNameWithoutExtension(file), System.Globalization.CultureInfo.InvariantCulture));
            var p = 0;
            while (p < bytes.Length)
            {
                var r = bytes.AsSpan(p);
                if (last && !r.ContainsAnyExcept((byte)0))
                {
                    // Zeros after the last record of the last file: the end (a torn tail, or zeros written ahead).
                    break;
                }

                Assert.True(r[..6].SequenceEqual(new byte[] { 5, 1, 0x14, 0x29, 0x83, 0x0A }));
                var l = BinaryPrimitives.ReadInt32LittleEndian(r[6..]);
                var m = BinaryPrimitives.ReadInt32LittleEndian(r[10..]);
                Assert.Equal(l, BinaryPrimitives.ReadInt32LittleEndian(r[(l - 8)..]));
                Assert.True(r.Slice(l - 4, 4).SequenceEqual(new byte[] { 6, 0x11, 0x52, 0x5B }));
                var metadata = r.Slice(46, m);
                var fingerprint = SHA256.HashData(metadata);
                Assert.True(fingerprint.AsSpan().SequenceEqual(r.Slice(14, 32)));
                using var doc = JsonDocument.Parse(metadata.ToArray());
                Assert.Equal(expected, doc.RootElement.GetProperty("Offset").GetInt64());
                Assert.Equal(Convert.ToBase64String(link), doc.RootElement.GetProperty("LinkedFingerprint").GetString());
                Assert.Equal(Convert.ToBase64String(SHA256.HashData(r.Slice(46 + m, l - 54 - m))), doc.RootElement.GetProperty("PayloadHash").GetString());
                link = fingerprint;
                expected++;
                p += l;
            }
        }

        return expected;
    }
}
