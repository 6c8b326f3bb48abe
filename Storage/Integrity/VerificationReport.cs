namespace Efflux.Storage.Integrity;

/// <summary>The result of re-hashing a partition or a range of it.</summary>
/// <param name="Path">The partition, as <c>namespace/topic/partition</c>.</param>
/// <param name="Records">Records that checked out.</param>
/// <param name="Ok">True when no record failed (a torn tail in the last file is not a failure).</param>
/// <param name="FirstBadOffset">The offset of the first record that failed, or null.</param>
/// <param name="Reason">Why it failed, or null.</param>
/// <param name="TornTailBytes">Bytes of torn tail found at the end of the last file.</param>
/// <param name="FirstOffset">The first offset checked.</param>
/// <param name="NextOffset">The offset after the last record that checked out.</param>
/// <param name="HeadFingerprint">Fingerprint of the last record that checked out (or the starting link).</param>
public sealed record VerificationReport(string Path, long Records, bool Ok, long? FirstBadOffset, string? Reason, long TornTailBytes, long FirstOffset, long NextOffset, byte[] HeadFingerprint);
