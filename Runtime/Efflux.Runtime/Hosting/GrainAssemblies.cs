using System.Reflection;
using System.Runtime.CompilerServices;

namespace Efflux.Runtime.Hosting;

/// <summary>
/// Finds the assemblies that may hold grains (those loaded, those next to the application, and what they reference,
/// transitively, that reference Efflux.Runtime.Abstractions) and runs their module initializers, where generated code
/// registers grain classes. Runs once at silo start; nothing here is on the call path.
/// </summary>
internal static class GrainAssemblies
{
    private const string Abstractions = "Efflux.Runtime.Abstractions";

    public static void RegisterAll()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<Assembly>(AppDomain.CurrentDomain.GetAssemblies());
        if (Assembly.GetEntryAssembly() is { } entry)
        {
            pending.Push(entry);
        }

        // A grain library the application never touches in code is not even referenced in its metadata.
        foreach (var file in Directory.EnumerateFiles(AppContext.BaseDirectory, "*.dll"))
        {
            var name = Path.GetFileNameWithoutExtension(file);
            if (!name.StartsWith("System.", StringComparison.Ordinal) && !name.StartsWith("Microsoft.", StringComparison.Ordinal)
                && TryLoad(new AssemblyName(name)) is { } local)
            {
                pending.Push(local);
            }
        }

        while (pending.Count > 0)
        {
            var assembly = pending.Pop();
            if (assembly.IsDynamic || !seen.Add(assembly.FullName ?? assembly.GetName().Name!))
            {
                continue;
            }

            var references = assembly.GetReferencedAssemblies();
            if (references.Any(r => r.Name == Abstractions))
            {
                RuntimeHelpers.RunModuleConstructor(assembly.ManifestModule.ModuleHandle);
                foreach (var reference in references.Where(r => !seen.Contains(r.FullName)))
                {
                    if (TryLoad(reference) is { } loaded)
                    {
                        pending.Push(loaded);
                    }
                }
            }
        }
    }

    private static Assembly? TryLoad(AssemblyName name)
    {
        try
        {
            return Assembly.Load(name);
        }
        catch (Exception ex) when (ex is FileNotFoundException or FileLoadException or BadImageFormatException)
        {
            return null;
        }
    }
}
