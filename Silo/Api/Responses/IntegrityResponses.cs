namespace Efflux.Silo.Api.Responses;

/// <summary>A partition's head as a checkpoint signed with the silo's key (keep it; verify against it later).</summary>
/// <param name="Namespace">The namespace.</param>
/// <param name="Topic">The topic.</param>
/// <param name="Partition">The partition.</param>
/// <param name="Offset">The head offset.</param>
/// <param name="Fingerprint">Its fingerprint, base64.</param>
/// <param name="Time">When it was signed.</param>
/// <param name="PublicKey">The silo's public key (P-256, SubjectPublicKeyInfo, base64).</param>
/// <param name="Signature">ECDSA signature over the canonical text, base64.</param>
public sealed record SignedHeadResponse(string Namespace, string Topic, int Partition, long Offset, string Fingerprint, DateTimeOffset Time, string PublicKey, string Signature);
