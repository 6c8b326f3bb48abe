using Efflux.Runtime.Invocation;
using Efflux.Runtime.Serialization;

namespace Efflux.Runtime.Tests;

/// <summary>
/// Carries calls the way a remote silo would: arguments written to bytes, a fresh request created from the method id
/// and read back, the grain invoked, the result written to bytes and read by the caller's request.
/// </summary>
public sealed class LoopbackInvoker(object grain) : IGrainCallInvoker
{
    public List<(GrainId Target, string Method, CallFlags Flags, int ArgumentBytes)> Calls { get; } = [];

    public async Task<TResult> InvokeAsync<TResult>(GrainId target, GrainRequest<TResult> request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var arguments = Arguments(request);
        var remote = GrainInterfaces.CreateRequest(request.MethodId) ?? throw new InvalidOperationException($"no request for {request.MethodId:x8}");
        Assert.Equal(request.MethodName, remote.MethodName);
        Read(remote, arguments);
        remote.CancellationToken = request.CancellationToken;
        Calls.Add((target, remote.MethodName, remote.Flags, arguments.Length));
        using var response = new WireWriter();
        await remote.InvokeAndWriteResultAsync(grain, response);
        return ReadResult(request, response.ToArray());
    }

    public void InvokeOneWay(GrainId target, GrainRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var arguments = Arguments(request);
        var remote = GrainInterfaces.CreateRequest(request.MethodId)!;
        Read(remote, arguments);
        Calls.Add((target, remote.MethodName, remote.Flags, arguments.Length));
        remote.InvokeAndWriteResultAsync(grain, new WireWriter()).GetAwaiter().GetResult();
    }

    private static byte[] Arguments(GrainRequest request)
    {
        using var writer = new WireWriter();
        request.WriteArguments(writer);
        return writer.ToArray();
    }

    private static void Read(GrainRequest request, byte[] arguments)
    {
        var reader = new WireReader(arguments);
        request.ReadArguments(ref reader);
        Assert.True(reader.End, "arguments left unread");
    }

    private static TResult ReadResult<TResult>(GrainRequest<TResult> request, byte[] bytes)
    {
        var reader = new WireReader(bytes);
        var result = request.ReadResult(ref reader);
        Assert.True(reader.End, "result bytes left unread");
        return result;
    }
}
