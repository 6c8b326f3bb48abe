using System.IO.Pipelines;

namespace Efflux.Runtime.Networking;

/// <summary>A reader and a writer over one socket stream.</summary>
internal sealed class DuplexPipe(PipeReader input, PipeWriter output) : IDuplexPipe
{
    public PipeReader Input { get; } = input;

    public PipeWriter Output { get; } = output;
}
