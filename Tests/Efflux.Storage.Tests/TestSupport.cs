using System.Diagnostics;
using System.Text;

namespace Efflux.Storage.Tests;

/// <summary>A fresh directory under the system temp folder, deleted at the end of the test.</summary>
internal sealed class TempDir : IDisposable
{
    public TempDir()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "efflux-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string Partition(string ns = "ns", string topic = "topic", int partition = 0) => System.IO.Path.Combine(Path, ns, topic, partition.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A killed child may still hold a file for a moment; the temp folder is cleaned by the OS later.
        }
    }
}

/// <summary>A clock the test moves by hand.</summary>
internal sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}

internal static class Logs
{
    public static Task<PartitionLog> OpenAsync(TempDir dir, PartitionLogOptions? options = null, string ns = "ns", string topic = "topic", int partition = 0)
        => PartitionLog.OpenAsync(dir.Path, ns, topic, partition, options);

    public static AppendMessage Text(string text, string? id = null) => new(Encoding.UTF8.GetBytes(text)) { Id = id };

    public static async Task<List<AppendResult>> AppendManyAsync(PartitionLog log, int count, int payloadBytes = 100, string prefix = "m")
    {
        var results = new List<AppendResult>();
        for (var i = 0; i < count; i++)
        {
            results.Add(await log.AppendAsync(new AppendMessage(Payload(i, payloadBytes)) { Id = $"{prefix}-{i}", DataType = i % 2 == 0 ? "even" : "odd" }));
        }

        return results;
    }

    public static byte[] Payload(int seed, int size)
    {
        var bytes = new byte[size];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    public static string[] SegmentFiles(TempDir dir, string ns = "ns", string topic = "topic", int partition = 0)
        => PartitionLog.ListSegments(dir.Partition(ns, topic, partition)).Select(s => s.Path).ToArray();
}

/// <summary>Runs built sibling programs (the CLI, the crash host) as real child processes.</summary>
internal static class Programs
{
    public static string Path(string project, string assembly)
    {
        // Tests/Efflux.Storage.Tests/bin/{Configuration}/net10.0 → the sibling project's matching output folder.
        var here = AppContext.BaseDirectory.TrimEnd(System.IO.Path.DirectorySeparatorChar);
        var framework = System.IO.Path.GetFileName(here);
        var configuration = System.IO.Path.GetFileName(System.IO.Path.GetDirectoryName(here)!);
        var repo = System.IO.Path.GetFullPath(System.IO.Path.Combine(here, "..", "..", "..", "..", ".."));
        var path = System.IO.Path.Combine(repo, project, "bin", configuration, framework, assembly + ".dll");
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Build {project} first: {path} is missing.");
        }

        return path;
    }

    public static ProcessStartInfo Dotnet(string dll, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(dll);
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        return info;
    }

    public static (int ExitCode, string Stdout, string Stderr) Run(string dll, params string[] args)
    {
        using var p = Process.Start(Dotnet(dll, args))!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(120_000))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"{dll} did not finish.");
        }

        return (p.ExitCode, stdout.Result, stderr.Result);
    }

    public static (int ExitCode, string Stdout, string Stderr) Efflux(params string[] args) => Run(Path("Client/Efflux.Cli", "efflux"), args);
}
