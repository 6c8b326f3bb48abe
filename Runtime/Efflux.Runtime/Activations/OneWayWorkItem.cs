using Efflux.Runtime.Invocation;
using Efflux.Runtime.Serialization;

namespace Efflux.Runtime.Activations;

/// <summary>A [OneWay] call: nobody waits, so a failure is reported to the log.</summary>
internal sealed class OneWayWorkItem(GrainRequest request, Action<Exception> onError) : WorkItem
{
    public override CallFlags Flags => request.Flags;

    public override async Task RunAsync(Grain grain)
    {
        try
        {
            using var discard = new WireWriter(16);
            await request.InvokeAndWriteResultAsync(grain, discard);
        }
        catch (Exception ex)
        {
            onError(ex);
        }
    }

    public override void Fail(Exception error) => onError(error);
}
