using Efflux.Runtime.Serialization;

namespace Efflux.Runtime.Invocation;

/// <summary>A request whose method produces <typeparamref name="TResult"/> (<see cref="None"/> for no value).</summary>
/// <typeparam name="TResult">The method's result type.</typeparam>
public abstract class GrainRequest<TResult> : GrainRequest
{
    /// <summary>Invokes the method on <paramref name="grain"/>, which implements the request's interface.</summary>
    public abstract Task<TResult> InvokeAsync(object grain);

    /// <summary>Writes a result.</summary>
    public abstract void WriteResult(WireWriter writer, TResult result);

    /// <summary>Reads a result written by <see cref="WriteResult"/>.</summary>
    public abstract TResult ReadResult(ref WireReader reader);

    /// <inheritdoc />
    public sealed override async Task InvokeAndWriteResultAsync(object grain, WireWriter response)
    {
        ArgumentNullException.ThrowIfNull(response);
        WriteResult(response, await InvokeAsync(grain).ConfigureAwait(false));
    }

    /// <inheritdoc />
    public sealed override async Task ForwardAsync(IGrainCallInvoker invoker, GrainId target, WireWriter response)
    {
        ArgumentNullException.ThrowIfNull(invoker);
        ArgumentNullException.ThrowIfNull(response);
        WriteResult(response, await invoker.InvokeAsync(target, this).ConfigureAwait(false));
    }
}
