using Efflux.Runtime.Invocation;
using Efflux.Runtime.Serialization;

namespace Efflux.Runtime.Networking;

/// <summary>A call sent on a connection, waiting for its response frame.</summary>
internal abstract class PendingCall
{
    /// <summary>Completes from a response body positioned after the call id.</summary>
    public abstract void Complete(ref WireReader reader);

    public abstract void Fail(Exception error);
}

/// <summary>A pending call whose result is read with the request's own codec.</summary>
internal sealed class PendingCall<TResult>(GrainRequest<TResult> request) : PendingCall
{
    private readonly TaskCompletionSource<TResult> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<TResult> Completion => _completion.Task;

    public override void Complete(ref WireReader reader)
    {
        try
        {
            if (reader.ReadByte() == 0)
            {
                _completion.TrySetResult(request.ReadResult(ref reader));
            }
            else
            {
                var type = reader.ReadString() ?? string.Empty;
                _completion.TrySetException(type == typeof(OperationCanceledException).FullName || type == typeof(TaskCanceledException).FullName
                    ? new OperationCanceledException(reader.ReadString())
                    : new GrainCallException(type, reader.ReadString() ?? string.Empty));
            }
        }
        catch (WireFormatException ex)
        {
            _completion.TrySetException(ex);
        }
    }

    public override void Fail(Exception error) => _completion.TrySetException(error);
}
