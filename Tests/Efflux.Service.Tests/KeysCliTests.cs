namespace Efflux.Service.Tests;

/// <summary><c>efflux keys</c> and the CLI's own credentials (EFFLUX_API_KEY) against a silo that reads the key file.</summary>
public sealed class KeysCliTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("efflux-keys-cli-").FullName;

    private string KeyFilePath => Path.Combine(_directory, "keys.json");

    [Fact]
    public async Task KeysMadeByTheCli_AreKeptHashed_AdmitTheirHolders_AndStopWorkingWhenRevoked()
    {
        var admin = Create("ops", "*=admin");
        var reader = Create("dashboard", "orders=read");
        var stored = await File.ReadAllTextAsync(KeyFilePath);
        Assert.DoesNotContain(admin, stored, StringComparison.Ordinal);
        Assert.DoesNotContain(reader, stored, StringComparison.Ordinal);
        Assert.Contains(ApiKeys.Hash(admin), stored, StringComparison.Ordinal);

        var list = Programs.Efflux("keys", "list", "--file", KeyFilePath);
        Assert.Equal(0, list.ExitCode);
        var lines = list.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.Contains(lines, l => l.Contains("\tops\t*=read,write,admin\t", StringComparison.Ordinal) && l.StartsWith(ApiKeys.IdOf(admin)!, StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("\tdashboard\torders=read\t", StringComparison.Ordinal));

        await using var silo = await InProcessSilo.StartAsync($"--Efflux:Auth:KeyFile={KeyFilePath}");
        var created = Online(admin, "topics", "create", "orders/t", "--server", silo.Gateway);
        Assert.True(created.ExitCode == 0, created.Stderr);
        var listed = Online(reader, "topics", "list", "orders", "--server", silo.Gateway);
        Assert.Equal((0, "t"), (listed.ExitCode, listed.Stdout.Trim()));

        var forbidden = Online(reader, "topics", "delete", "orders/t", "--server", silo.Gateway);
        Assert.Equal(1, forbidden.ExitCode);
        Assert.Contains("may not do this in namespace 'orders': it needs admin there", forbidden.Stderr, StringComparison.Ordinal);
        var anonymous = Online(null, "topics", "list", "orders", "--server", silo.Gateway);
        Assert.Equal(1, anonymous.ExitCode);
        Assert.Contains("EFFLUX_API_KEY", anonymous.Stderr, StringComparison.Ordinal);

        var revoked = Programs.Efflux("keys", "revoke", ApiKeys.IdOf(reader)!, "--file", KeyFilePath);
        Assert.Equal(0, revoked.ExitCode);
        Assert.DoesNotContain("dashboard", Programs.Efflux("keys", "list", "--file", KeyFilePath).Stdout, StringComparison.Ordinal);
        await Eventually.Succeeds(() =>
        {
            var refused = Online(reader, "topics", "list", "orders", "--server", silo.Gateway);
            Assert.Equal(1, refused.ExitCode);
            Assert.Contains("not one this silo knows", refused.Stderr, StringComparison.Ordinal);
            return Task.CompletedTask;
        });
    }

    [Theory]
    [InlineData("orders=fly", "'fly' in 'orders=fly' is not a permission")]
    [InlineData("ord/ers=read", "is not a grant")]
    [InlineData("orders=", "grants nothing")]
    public void ABadGrant_IsRefused_AndNothingIsWritten(string grant, string message)
    {
        var result = Programs.Efflux("keys", "create", "x", "--grant", grant, "--file", KeyFilePath);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains(message, result.Stderr, StringComparison.Ordinal);
        Assert.Equal("", result.Stdout);
        Assert.False(File.Exists(KeyFilePath));
    }

    [Fact]
    public void WithoutAKeyFile_KeysCommandsSayHowToNameOne_AndRevokingAnUnknownKeyFails()
    {
        var noFile = Programs.Efflux(new Dictionary<string, string?> { ["EFFLUX_KEY_FILE"] = null }, "keys", "list");
        Assert.Equal(1, noFile.ExitCode);
        Assert.Contains("--file or $EFFLUX_KEY_FILE", noFile.Stderr, StringComparison.Ordinal);

        Create("ops", "*=admin");
        var unknown = Programs.Efflux("keys", "revoke", "000000000000", "--file", KeyFilePath);
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("holds no key 000000000000", unknown.Stderr, StringComparison.Ordinal);

        var printed = Programs.Efflux("keys", "create", "ci", "--grant", "orders=write", "--print");
        Assert.Equal(0, printed.ExitCode);
        Assert.Contains(ApiKeys.Hash(printed.Stdout.Trim()), printed.Stderr, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string Create(string name, string grant)
    {
        var result = Programs.Efflux("keys", "create", name, "--grant", grant, "--file", KeyFilePath);
        Assert.True(result.ExitCode == 0, result.Stderr);
        var key = result.Stdout.Trim();
        Assert.StartsWith(ApiKeys.Prefix, key, StringComparison.Ordinal);
        return key;
    }

    private static (int ExitCode, string Stdout, string Stderr) Online(string? key, params string[] args)
        => Programs.Efflux(new Dictionary<string, string?> { ["EFFLUX_API_KEY"] = key }, args);
}
