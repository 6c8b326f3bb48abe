namespace Efflux.Runtime.Networking;

/// <summary>
/// The frames on a runtime connection. Every frame is a 4-byte little-endian length of what follows, one kind byte,
/// and a body in the wire format:
/// <list type="bullet">
/// <item>Request: call id (varint), cancellable (a byte: the caller's token can be cancelled), method id (varint),
/// grain type, grain key, then the arguments.</item>
/// <item>OneWay: method id, grain type, grain key, then the arguments (no response).</item>
/// <item>Response: call id, status byte (0 = result follows, 1 = exception type and message follow).</item>
/// <item>Cancel: call id (the caller's CancellationToken was cancelled).</item>
/// <item>Hello: the connecting side's identity (a silo address, or empty for a client), sent first.</item>
/// </list>
/// </summary>
internal enum FrameKind : byte
{
    Request = 1,
    OneWay = 2,
    Response = 3,
    Cancel = 4,
    Hello = 5,
}
