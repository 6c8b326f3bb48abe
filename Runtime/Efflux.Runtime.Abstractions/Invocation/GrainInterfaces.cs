using System.Collections.Concurrent;

namespace Efflux.Runtime.Invocation;

/// <summary>
/// What generated code registers when its assembly loads: per grain interface its alias and proxy factory, per method
/// id a request factory (so a silo can turn bytes into a call). Thread-safe.
/// </summary>
public static class GrainInterfaces
{
    private static readonly ConcurrentDictionary<uint, Func<GrainRequest>> Requests = new();
    private static readonly ConcurrentDictionary<string, GrainClass> Classes = new(StringComparer.Ordinal);

    /// <summary>Registers a grain interface's proxy factory and alias.</summary>
    public static void Register<TInterface>(string alias, Func<GrainId, IGrainCallInvoker, TInterface> proxyFactory)
    {
        ArgumentNullException.ThrowIfNull(alias);
        ArgumentNullException.ThrowIfNull(proxyFactory);
        Proxy<TInterface>.Set(alias, proxyFactory);
    }

    /// <summary>Registers the request factory of a method id.</summary>
    /// <exception cref="InvalidOperationException">Another method already has this id.</exception>
    public static void RegisterMethod(uint methodId, string methodName, Func<GrainRequest> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        var existing = Requests.GetOrAdd(methodId, factory);
        if (!ReferenceEquals(existing, factory) && existing().MethodName != methodName)
        {
            throw new InvalidOperationException($"Grain methods {existing().MethodName} and {methodName} have the same id {methodId:x8}: give one an [Alias].");
        }
    }

    /// <summary>Registers the implementation of a grain type, an interface alias (one class per grain type; the last registration wins).</summary>
    public static void RegisterClass(string grainType, GrainClass grainClass)
    {
        ArgumentNullException.ThrowIfNull(grainType);
        ArgumentNullException.ThrowIfNull(grainClass);
        Classes[grainType] = grainClass;
    }

    /// <summary>The implementation registered for a grain type (an interface alias), or null.</summary>
    public static GrainClass? ClassOf(string grainType) => Classes.TryGetValue(grainType, out var grainClass) ? grainClass : null;

    /// <summary>A fresh request for a method id, or null when no loaded interface has it.</summary>
    public static GrainRequest? CreateRequest(uint methodId) => Requests.TryGetValue(methodId, out var factory) ? factory() : null;

    /// <summary>The alias of a registered grain interface.</summary>
    public static string AliasOf<TInterface>()
        => Proxy<TInterface>.Alias;

    /// <summary>A proxy for a registered grain interface.</summary>
    public static TInterface CreateProxy<TInterface>(GrainId grainId, IGrainCallInvoker invoker)
        => Proxy<TInterface>.Factory(grainId, invoker);

    private static class Proxy<TInterface>
    {
        private static (string Alias, Func<GrainId, IGrainCallInvoker, TInterface> Factory)? s_registration;

        public static string Alias => Registration.Alias;

        public static Func<GrainId, IGrainCallInvoker, TInterface> Factory => Registration.Factory;

        private static (string Alias, Func<GrainId, IGrainCallInvoker, TInterface> Factory) Registration
            => s_registration ?? LoadDeclaringModule() ?? throw new InvalidOperationException(
                $"{typeof(TInterface)} is not a registered grain interface: it must derive from IGrain and its assembly must reference Efflux.Runtime.CodeGen.");

        /// <summary>
        /// The interface's registration runs in its assembly's module initializer, which runs only once code of that
        /// assembly runs; a caller may reach for the interface before that, so run it now.
        /// </summary>
        private static (string Alias, Func<GrainId, IGrainCallInvoker, TInterface> Factory)? LoadDeclaringModule()
        {
            System.Runtime.CompilerServices.RuntimeHelpers.RunModuleConstructor(typeof(TInterface).Module.ModuleHandle);
            return s_registration;
        }

        public static void Set(string alias, Func<GrainId, IGrainCallInvoker, TInterface> factory) => s_registration ??= (alias, factory);
    }
}
