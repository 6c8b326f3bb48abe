using Efflux.Runtime.Serialization;

namespace Efflux.Runtime.Networking;

/// <summary>
/// A call received on a connection, answered exactly once: whoever runs it writes the result into
/// <see cref="Response"/> and calls <see cref="Succeed"/>, or calls <see cref="Fail"/>, which replaces whatever the
/// result had written with an error response. Either sends the response frame at once, on the thread that answers, so
/// a grain turn that ends answers its caller without another hop.
/// </summary>
internal sealed class InboundCall
{
    private readonly Connection _connection;
    private readonly long _id;
    private readonly CancellationTokenSource? _cts;
    private readonly int _status;
    private int _answered;

    public InboundCall(Connection connection, long id, CancellationTokenSource? cts)
    {
        _connection = connection;
        _id = id;
        _cts = cts;
        Response = Connection.ResponseFrame(id);
        _status = Response.Length;
        Response.WriteByte(0);
    }

    /// <summary>The response frame, positioned after its success status: the result goes here.</summary>
    public WireWriter Response { get; }

    public void Succeed()
    {
        if (Interlocked.Exchange(ref _answered, 1) == 0)
        {
            _connection.Respond(_id, _cts, Response);
        }
    }

    public void Fail(Exception error)
    {
        if (Interlocked.Exchange(ref _answered, 1) == 0)
        {
            Response.Truncate(_status);
            Connection.WriteError(Response, error);
            _connection.Respond(_id, _cts, Response);
        }
    }

    /// <summary>Answers with the outcome of <paramref name="work"/>, which writes the result into <see cref="Response"/>.</summary>
    public void AnswerWhen(Task work)
    {
        if (work.IsCompletedSuccessfully)
        {
            Succeed();
            return;
        }

        _ = AnswerWhenDoneAsync(work);
    }

    private async Task AnswerWhenDoneAsync(Task work)
    {
        try
        {
            await work.ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            Fail(ex);
            return;
        }

        Succeed();
    }
}
