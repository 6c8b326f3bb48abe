namespace Efflux.Runtime.Serialization;

/// <summary>Writes and reads values of one type in the wire format. Implementations are stateless and thread-safe.</summary>
/// <typeparam name="T">The type.</typeparam>
public interface IWireCodec<T>
{
    /// <summary>Writes <paramref name="value"/>.</summary>
    void Write(WireWriter writer, T value);

    /// <summary>Reads a value written by <see cref="Write"/>.</summary>
    T Read(ref WireReader reader);
}
