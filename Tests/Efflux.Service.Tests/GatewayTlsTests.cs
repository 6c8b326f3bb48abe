using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Efflux.Client;

namespace Efflux.Service.Tests;

/// <summary>
/// <c>Efflux:Tls</c>: the gateway speaks TLS and admits only clients whose certificate the configured authority issued;
/// the key still decides what a client may do. Certificates are made by the test.
/// </summary>
public sealed class GatewayTlsTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("efflux-tls-").FullName;

    [Fact]
    public async Task OnlyClientsWithACertificateFromTheAuthority_Connect()
    {
        using var authority = Authority("Efflux Test Authority");
        using var stranger = Authority("Some Other Authority");
        var authorityFile = Path.Combine(_directory, "authority.crt");
        await File.WriteAllBytesAsync(authorityFile, authority.Export(X509ContentType.Cert));
        var serverFile = Path.Combine(_directory, "silo.pfx");
        using (var server = Issue(authority, "silo"))
        {
            await File.WriteAllBytesAsync(serverFile, server.Export(X509ContentType.Pkcs12, "silo-password"));
        }

        var (key, entry) = ApiKeys.Create("reader", [NamespaceGrant.Parse("orders=read")], DateTimeOffset.UtcNow);
        var keyFile = Path.Combine(_directory, "keys.json");
        KeyFile.Save(keyFile, [entry]);
        await using var silo = await InProcessSilo.StartAsync(
            $"--Efflux:Tls:Certificate={serverFile}",
            "--Efflux:Tls:Password=silo-password",
            $"--Efflux:Tls:Authority={authorityFile}",
            $"--Efflux:Auth:KeyFile={keyFile}");

        using var good = Issue(authority, "client");
        await using (var client = await ConnectAsync(silo, good, authority, key))
        {
            Assert.Empty(await client.ListTopicsAsync("orders"));
            Assert.Equal(EffluxError.Forbidden, (await Assert.ThrowsAsync<EffluxException>(() => client.CreateTopicAsync("orders", "t"))).Error);
        }

        // No certificate, one from another authority, or a silo presented to a client that trusts another authority.
        using var foreign = Issue(stranger, "client");
        foreach (var (certificate, trusted, what) in new[] { ((X509Certificate2?)null, authority, "no certificate"), (foreign, authority, "a foreign certificate"), (good, stranger, "a silo the client does not trust") })
        {
            var refused = await Assert.ThrowsAsync<EffluxException>(async () =>
            {
                await using var client = await ConnectAsync(silo, certificate, trusted, key);
                await client.ListTopicsAsync("orders");
            });
            Assert.True(refused.Error == EffluxError.Unavailable, $"{what}: {refused.Error} {refused.Message}");
        }
    }

    [Fact]
    public async Task InClusterMode_SilosTalkToEachOtherOverTls_AndClientsReachEveryPartition()
    {
        using var authority = Authority("Efflux Cluster Authority");
        var authorityFile = Path.Combine(_directory, "authority.crt");
        await File.WriteAllBytesAsync(authorityFile, authority.Export(X509ContentType.Cert));
        using var redis = await RedisServer.StartAsync();
        var cluster = "tls-" + Guid.NewGuid().ToString("N")[..8];
        var silos = new List<InProcessSilo>();
        try
        {
            foreach (var name in new[] { "silo-a", "silo-b" })
            {
                var file = Path.Combine(_directory, name + ".pfx");
                using (var own = Issue(authority, name))
                {
                    await File.WriteAllBytesAsync(file, own.Export(X509ContentType.Pkcs12, "pw"));
                }

                silos.Add(await InProcessSilo.StartAsync(
                    $"--Efflux:Cluster:Redis={redis.Configuration}",
                    $"--Efflux:Cluster:Id={cluster}",
                    "--Efflux:GrainStorage:Provider=memory",
                    $"--Efflux:Tls:Certificate={file}",
                    "--Efflux:Tls:Password=pw",
                    $"--Efflux:Tls:Authority={authorityFile}"));
            }

            await Eventually.Succeeds(async () =>
            {
                var view = await Problems.Json(await silos[0].Http.GetAsync("/v1/cluster"));
                Assert.Equal(2, view.GetProperty("silos").EnumerateArray().Count(s => s.GetProperty("status").GetString() == "Active"));
            });

            using var certificate = Issue(authority, "client");
            await using var client = await ConnectAsync(silos[0], certificate, authority, key: null, cluster);
            await client.CreateTopicAsync("orders", "spread", new TopicConfig { Partitions = 4 });
            var homes = (await client.DescribeTopicAsync("orders", "spread")).Partitions.Select(p => p.Silo).Distinct().ToList();
            Assert.Equal(2, homes.Count);
            for (var p = 0; p < 4; p++)
            {
                await client.Topic("orders", "spread").AppendAsync(new ProduceMessage { Payload = "{}"u8.ToArray() }, partition: p);
                Assert.NotNull(await client.Topic("orders", "spread").FetchAsync(p, 0));
            }
        }
        finally
        {
            foreach (var silo in silos)
            {
                await silo.DisposeAsync();
            }
        }
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static async Task<EffluxClient> ConnectAsync(InProcessSilo silo, X509Certificate2? certificate, X509Certificate2 authority, string? key, string cluster = "efflux")
    {
        var options = new EffluxClientOptions { ClusterId = cluster, ClientCertificate = certificate, ServerAuthority = authority, ApiKey = key, ConnectTimeout = TimeSpan.FromSeconds(2), CallTimeout = TimeSpan.FromSeconds(10) };
        options.Gateways.Add(silo.Gateway);
        return await EffluxClient.ConnectAsync(options);
    }

    private static X509Certificate2 Authority(string name)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: true, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, critical: true));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
    }

    private static X509Certificate2 Issue(X509Certificate2 authority, string name)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: false, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], critical: false));
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(name);
        names.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var issued = request.Create(authority, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddHours(12), RandomNumberGenerator.GetBytes(8));
        return issued.CopyWithPrivateKey(key);
    }
}
