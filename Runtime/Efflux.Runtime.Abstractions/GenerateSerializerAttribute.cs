namespace Efflux.Runtime;

/// <summary>Asks the code generator for a wire codec of this class, record or struct; its serialized members carry <see cref="IdAttribute"/>.</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct)]
public sealed class GenerateSerializerAttribute : Attribute
{
}
