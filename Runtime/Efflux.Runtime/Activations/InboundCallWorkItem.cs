using Efflux.Runtime.Invocation;
using Efflux.Runtime.Networking;

namespace Efflux.Runtime.Activations;

/// <summary>
/// A call received on a connection, run as a turn: the result is written straight into the response frame, which is sent
/// when the turn ends. The caller's own deadline governs how long it waits.
/// </summary>
internal sealed class InboundCallWorkItem(GrainRequest request, InboundCall call) : WorkItem
{
    private Exception? _error;

    public override CallFlags Flags => request.Flags;

    public override async Task RunAsync(Grain grain)
    {
        try
        {
            await request.InvokeAndWriteResultAsync(grain, call.Response);
        }
        catch (Exception ex)
        {
            // The grain's exception is the caller's; the activation lives on.
            _error = ex;
        }
    }

    public override void Complete()
    {
        if (_error is null)
        {
            call.Succeed();
        }
        else
        {
            call.Fail(_error);
        }
    }

    public override void Fail(Exception error) => call.Fail(error);
}
