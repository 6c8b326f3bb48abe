using Efflux.Runtime.Invocation;

namespace Efflux.Runtime.Networking;

/// <summary>Where a connection hands the calls it receives (a silo runs or forwards them; a client runs observer calls).</summary>
internal interface IInboundCalls
{
    /// <summary>
    /// Runs a call, or starts it, and answers <paramref name="call"/> when it is done (an exception thrown here fails it).
    /// </summary>
    void Call(GrainId target, GrainRequest request, InboundCall call);

    /// <summary>Runs a one-way call.</summary>
    Task OneWayAsync(GrainId target, GrainRequest request);

    /// <summary>What grain references read from this connection's frames call through.</summary>
    IGrainCallInvoker References { get; }

    /// <summary>The other end said who it is (a silo's address, or "client:{id}").</summary>
    void Hello(Connection connection, string identity);
}
