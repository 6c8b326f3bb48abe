using System.Security.Cryptography.X509Certificates;

namespace Efflux.Client;

/// <summary>Checks a peer's certificate against one private authority (the way Efflux silos and clients trust each other).</summary>
public static class CertificateChains
{
    /// <summary>Whether <paramref name="presented"/> chains to <paramref name="authority"/> and nothing else, and is valid now.</summary>
    public static bool IssuedBy(X509Certificate2 presented, X509Certificate2 authority)
    {
        ArgumentNullException.ThrowIfNull(presented);
        ArgumentNullException.ThrowIfNull(authority);
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(authority);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(presented);
    }
}
