namespace Efflux.Runtime.Invocation;

/// <summary>
/// The invoker that grain references read off the wire are bound to: the runtime sets it, on the reading thread, for
/// the duration of reading one frame (reading is synchronous), so codecs need no context parameter.
/// </summary>
public static class ReferenceContext
{
    [ThreadStatic]
    private static IGrainCallInvoker? t_invoker;

    /// <summary>The invoker for references read on this thread now, or null outside a runtime read.</summary>
    public static IGrainCallInvoker? Invoker => t_invoker;

    /// <summary>Binds references read on this thread to <paramref name="invoker"/> until the scope is disposed.</summary>
    public static Scope Use(IGrainCallInvoker invoker) => new(Interlocked.Exchange(ref t_invoker, invoker));

    /// <summary>Restores the previous invoker.</summary>
    public readonly struct Scope(IGrainCallInvoker? previous) : IDisposable
    {
        /// <inheritdoc />
        public void Dispose() => t_invoker = previous;
    }
}
