using Efflux.Runtime.Serialization;

namespace Efflux.Runtime.Invocation;

/// <summary>
/// One call of one grain method with its arguments: generated per method. The same object serves a local call (passed
/// as is) and a remote one (arguments written by the caller, read into a fresh request on the callee's silo). A request
/// is used for one call only.
/// </summary>
public abstract class GrainRequest
{
    /// <summary>The stable method id: a hash of the interface alias and the method alias.</summary>
    public abstract uint MethodId { get; }

    /// <summary>"InterfaceAlias.MethodAlias", for errors and logs.</summary>
    public abstract string MethodName { get; }

    /// <summary>How the call may be scheduled.</summary>
    public abstract CallFlags Flags { get; }

    /// <summary>The method's CancellationToken argument (default when it has none); honoured across the wire.</summary>
    public CancellationToken CancellationToken { get; set; }

    /// <summary>Writes the arguments (the CancellationToken is not an argument on the wire).</summary>
    public abstract void WriteArguments(WireWriter writer);

    /// <summary>Reads the arguments written by <see cref="WriteArguments"/>.</summary>
    public abstract void ReadArguments(ref WireReader reader);

    /// <summary>Invokes the method on <paramref name="grain"/> and writes its result into <paramref name="response"/>.</summary>
    public abstract Task InvokeAndWriteResultAsync(object grain, WireWriter response);

    /// <summary>
    /// Sends this request through <paramref name="invoker"/> (a silo forwarding a call it received to wherever the grain
    /// lives) and writes the result into <paramref name="response"/>.
    /// </summary>
    public abstract Task ForwardAsync(IGrainCallInvoker invoker, GrainId target, WireWriter response);
}
