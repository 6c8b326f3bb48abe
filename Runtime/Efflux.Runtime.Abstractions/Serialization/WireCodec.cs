namespace Efflux.Runtime.Serialization;

/// <summary>
/// The codec of <typeparamref name="T"/>: built in for primitives, strings, byte payloads, Guid and time types;
/// registered by generated code (a module initializer) for contract types and the collections they use. Lookup is a
/// static field read, no reflection. Thread-safe.
/// </summary>
/// <typeparam name="T">The type.</typeparam>
#pragma warning disable CA1000 // Static members on a generic type: the per-type static field is the point.
public static class WireCodec<T>
{
    private static IWireCodec<T>? s_codec = PrimitiveCodec.Instance as IWireCodec<T>;

    /// <summary>True when a codec is known.</summary>
    public static bool IsRegistered => s_codec is not null;

    /// <summary>The codec.</summary>
    /// <exception cref="NotSupportedException">No codec: the type is neither built in nor marked [GenerateSerializer].</exception>
    public static IWireCodec<T> Instance => s_codec ?? throw new NotSupportedException(
        $"No wire codec for {typeof(T)}: mark it [GenerateSerializer] with [Id] on its members, or use a supported type.");

    /// <summary>Registers the codec unless one is already registered (registration is idempotent).</summary>
    public static void Register(IWireCodec<T> codec)
    {
        ArgumentNullException.ThrowIfNull(codec);
        Interlocked.CompareExchange(ref s_codec, codec, null);
    }

    /// <summary>Writes a value.</summary>
    public static void Write(WireWriter writer, T value) => Instance.Write(writer, value);

    /// <summary>Reads a value.</summary>
    public static T Read(ref WireReader reader) => Instance.Read(ref reader);
}
#pragma warning restore CA1000
