using System.Collections.Concurrent;
using Efflux.Runtime.Invocation;

namespace Efflux.Runtime.Calls;

/// <summary>
/// Local objects that grains may call through observer references. A reference's grain id has type
/// <see cref="GrainType"/> and key "{endpoint}/{owner}/{id}": the silo endpoint that delivers it, "s" for an object of
/// that silo or "c{client id}" for an object of a client connected to that silo, and a unique id. Thread-safe.
/// </summary>
internal sealed class ObserverRegistry
{
    public const string GrainType = "efflux.observer";

    private readonly ConcurrentDictionary<string, object> _objects = new(StringComparer.Ordinal);

    /// <summary>Registers <paramref name="observer"/> and returns its reference (disposing it unregisters the object).</summary>
    public ObserverReference<TObserver> Create<TObserver>(TObserver observer, string endpoint, string owner, IGrainCallInvoker invoker)
        where TObserver : class, IGrainObserver
    {
        ArgumentNullException.ThrowIfNull(observer);
        var key = $"{endpoint}/{owner}/{Guid.NewGuid():N}";
        _objects[key] = observer;
        var proxy = GrainInterfaces.CreateProxy<TObserver>(new GrainId(GrainType, key), invoker);
        return new Handle<TObserver>(proxy, () => _objects.TryRemove(key, out _));
    }

    /// <summary>The object behind a reference key.</summary>
    /// <exception cref="ObjectDisposedException">The reference was disposed or never existed here.</exception>
    public object Find(string key) => _objects.TryGetValue(key, out var observer)
        ? observer
        : throw new ObjectDisposedException(key, "The observer reference was disposed, or its process restarted.");

    /// <summary>Splits a reference key into its delivering endpoint and owner.</summary>
    public static (string Endpoint, string Owner) Parse(string key)
    {
        var parts = key.Split('/');
        return parts.Length == 3 ? (parts[0], parts[1]) : throw new InvalidOperationException($"'{key}' is not an observer reference.");
    }

    private sealed class Handle<TObserver>(TObserver reference, Action release) : ObserverReference<TObserver>
        where TObserver : class, IGrainObserver
    {
        public override TObserver Reference => reference;

        protected override void Dispose(bool disposing) => release();
    }
}
