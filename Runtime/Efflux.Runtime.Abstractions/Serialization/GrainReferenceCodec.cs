using Efflux.Runtime.Invocation;

namespace Efflux.Runtime.Serialization;

/// <summary>
/// A grain or observer reference on the wire: its grain id (type and key), or null. Read back as a proxy bound to the
/// reading runtime (<see cref="ReferenceContext"/>), so a grain that receives an observer reference can call it.
/// </summary>
/// <typeparam name="T">The grain or observer interface.</typeparam>
public sealed class GrainReferenceCodec<T> : IWireCodec<T?>
    where T : class
{
    /// <inheritdoc />
    public void Write(WireWriter writer, T? value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        switch (value)
        {
            case null:
                writer.WriteString(null);
                return;
            case GrainReference reference:
                writer.WriteString(reference.GrainId.Type);
                writer.WriteString(reference.GrainId.Key);
                return;
            default:
                throw new NotSupportedException(
                    $"A {typeof(T).Name} argument must be a reference (from GetGrain or CreateObjectReference(...).Reference), not the object itself.");
        }
    }

    /// <inheritdoc />
    public T? Read(ref WireReader reader)
    {
        if (reader.ReadString() is not { } type)
        {
            return null;
        }

        var key = reader.ReadString() ?? throw new WireFormatException("Invalid wire data: a grain reference without a key.");
        var invoker = ReferenceContext.Invoker ?? throw new InvalidOperationException("Grain references can only be read by a silo or a cluster client.");
        return GrainInterfaces.CreateProxy<T>(new GrainId(type, key), invoker);
    }
}
