using System.Diagnostics;

namespace Efflux.Testing;

/// <summary>Runs built sibling programs (the CLI, the crash host) as real child processes.</summary>
public static class Programs
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

    public static (int ExitCode, string Stdout, string Stderr) Run(string dll, params string[] args) => Run(dll, new Dictionary<string, string?>(), args);

    /// <summary>Runs <paramref name="dll"/> to its end with <paramref name="environment"/> added to this process's.</summary>
    public static (int ExitCode, string Stdout, string Stderr) Run(string dll, IReadOnlyDictionary<string, string?> environment, params string[] args)
    {
        var info = Dotnet(dll, args);
        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        using var p = Process.Start(info)!;
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

    /// <summary>Runs the CLI with <paramref name="environment"/> (such as EFFLUX_API_KEY) set.</summary>
    public static (int ExitCode, string Stdout, string Stderr) Efflux(IReadOnlyDictionary<string, string?> environment, params string[] args) => Run(Path("Client/Efflux.Cli", "efflux"), environment, args);

    /// <summary>The repository root, found from the test assembly's output folder.</summary>
    public static string RepositoryRoot => System.IO.Path.GetFullPath(System.IO.Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", ".."));
}
