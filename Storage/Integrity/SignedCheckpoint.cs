using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Efflux.Storage.Integrity;

/// <summary>
/// A signed statement of a partition's head: "record <see cref="Offset"/> of this partition has this fingerprint, as of
/// <see cref="Time"/>". Kept outside the log, it detects truncation and rewrites of the tail that a hash chain alone
/// cannot (a rewritten tail re-chains perfectly). Signed with ECDSA P-256 over SHA-256; the signature covers the
/// canonical text of <see cref="SignedText"/>.
/// </summary>
public sealed record SignedCheckpoint(string Namespace, string Topic, int Partition, long Offset, string Fingerprint, DateTimeOffset Time, string PublicKey, string Signature)
{
    /// <summary>The exact bytes that are signed: one field per line, UTF-8.</summary>
    public static byte[] SignedText(string ns, string topic, int partition, long offset, string fingerprint, DateTimeOffset time)
        => Encoding.UTF8.GetBytes(string.Join('\n', "efflux-checkpoint/v1", ns, topic, partition.ToString(CultureInfo.InvariantCulture), offset.ToString(CultureInfo.InvariantCulture), fingerprint, time.UtcDateTime.ToString("O", CultureInfo.InvariantCulture)));

    /// <summary>Signs a head with <paramref name="key"/> (a P-256 private key).</summary>
    public static SignedCheckpoint Create(string ns, string topic, int partition, long offset, ReadOnlySpan<byte> fingerprint, DateTimeOffset time, ECDsa key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.KeySize != 256)
        {
            throw new ArgumentException("Checkpoints are signed with an ECDSA P-256 key.", nameof(key));
        }

        var fp = Convert.ToBase64String(fingerprint);
        time = new DateTimeOffset(time.UtcTicks, TimeSpan.Zero);
        var signature = key.SignData(SignedText(ns, topic, partition, offset, fp, time), HashAlgorithmName.SHA256);
        return new SignedCheckpoint(ns, topic, partition, offset, fp, time, Convert.ToBase64String(key.ExportSubjectPublicKeyInfo()), Convert.ToBase64String(signature));
    }

    /// <summary>
    /// True when the signature is valid for <paramref name="trustedKey"/>, or, without one, for the key embedded in the
    /// checkpoint (which proves integrity of the file, not who wrote it).
    /// </summary>
    public bool HasValidSignature(ECDsa? trustedKey = null)
    {
        try
        {
            using var embedded = ECDsa.Create();
            var key = trustedKey;
            if (key is null)
            {
                embedded.ImportSubjectPublicKeyInfo(Convert.FromBase64String(PublicKey), out _);
                key = embedded;
            }

            return key.VerifyData(SignedText(Namespace, Topic, Partition, Offset, Fingerprint, Time), Convert.FromBase64String(Signature), HashAlgorithmName.SHA256);
        }
        catch (FormatException)
        {
            return false;
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    /// <summary>Serialises to the JSON checkpoint file format.</summary>
    public string ToJson()
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("namespace", Namespace);
            w.WriteString("topic", Topic);
            w.WriteNumber("partition", Partition);
            w.WriteNumber("offset", Offset);
            w.WriteString("fingerprint", Fingerprint);
            w.WriteString("time", Time.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
            w.WriteString("publicKey", PublicKey);
            w.WriteString("signature", Signature);
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>Parses a checkpoint file; throws <see cref="FormatException"/> when it is not one.</summary>
    public static SignedCheckpoint Parse(string json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            var r = doc.RootElement;
            return new SignedCheckpoint(
                r.GetProperty("namespace").GetString()!,
                r.GetProperty("topic").GetString()!,
                r.GetProperty("partition").GetInt32(),
                r.GetProperty("offset").GetInt64(),
                r.GetProperty("fingerprint").GetString()!,
                DateTimeOffset.Parse(r.GetProperty("time").GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal),
                r.GetProperty("publicKey").GetString()!,
                r.GetProperty("signature").GetString()!);
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new FormatException("Not an Efflux checkpoint file: " + ex.Message, ex);
        }
    }
}
