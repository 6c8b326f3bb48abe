using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace Efflux.Runtime.CodeGen;

/// <summary>
/// Decides how a type travels on the wire: a direct writer/reader call for built-in types, else the type's
/// WireCodec&lt;T&gt;, registering the collection codecs and loading the contract assemblies it needs.
/// </summary>
internal sealed class TypeCodecs(Compilation compilation)
{
    public const string Serialization = "global::Efflux.Runtime.Serialization";

    private static readonly SymbolDisplayFormat Format = SymbolDisplayFormat.FullyQualifiedFormat
        .AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

    private readonly HashSet<string> _registrations = [];

    /// <summary>Statements for the module initializer (sorted, deduplicated).</summary>
    public IEnumerable<string> Registrations => _registrations.OrderBy(r => r, System.StringComparer.Ordinal);

    public static string Name(ITypeSymbol type) => type.ToDisplayString(Format);

    /// <summary>The codec of <paramref name="type"/>, or null when it cannot travel.</summary>
    public TypeCodecModel? For(ITypeSymbol type)
    {
        var name = Name(type);
        var direct = Direct(type);
        if (direct is not null)
        {
            return new TypeCodecModel(name, "writer.Write" + direct + "({0})", "reader.Read" + direct + "()");
        }

        if (type is IArrayTypeSymbol { ElementType.SpecialType: SpecialType.System_Byte, Rank: 1 })
        {
            return new TypeCodecModel(name, "writer.WriteByteArray({0})", "reader.ReadByteArray()");
        }

        if (IsReadOnlyMemoryOfByte(type))
        {
            return new TypeCodecModel(name, "writer.WriteBytes({0}.Span)", "new global::System.ReadOnlyMemory<byte>(reader.ReadBytes().ToArray())");
        }

        if (type is INamedTypeSymbol { Name: "ReadOnlySequence", TypeArguments.Length: 1 } sequence
            && sequence.TypeArguments[0].SpecialType == SpecialType.System_Byte && sequence.ContainingNamespace.ToDisplayString() == "System.Buffers")
        {
            return new TypeCodecModel(name, "writer.WriteByteSequence({0})", "reader.ReadByteSequence()");
        }

        if (type.TypeKind == TypeKind.Enum)
        {
            return new TypeCodecModel(name, "writer.WriteInt64((long){0})", "(" + name + ")reader.ReadInt64()");
        }

        var via = ViaCodec(type);
        if (via is null)
        {
            return null;
        }

        var write = $"{Serialization}.WireCodec<{via}>.Write(writer, {{0}})";
        var read = $"{Serialization}.WireCodec<{via}>.Read(ref reader)";
        return via == Name(type.WithNullableAnnotation(NullableAnnotation.NotAnnotated)) || via == name
            ? new TypeCodecModel(name, write, read)
            : new TypeCodecModel(name, $"{Serialization}.WireCodec<{via}>.Write(writer, {{0}} is null ? null : {{0}} as {via} ?? new {via.TrimEnd('?')}({{0}}))", read);
    }

    private static string? Direct(ITypeSymbol type)
    {
        switch (type.SpecialType)
        {
            case SpecialType.System_Boolean: return "Bool";
            case SpecialType.System_Byte: return "Byte";
            case SpecialType.System_SByte: return "SByte";
            case SpecialType.System_Int16: return "Int16";
            case SpecialType.System_UInt16: return "UInt16";
            case SpecialType.System_Int32: return "Int32";
            case SpecialType.System_UInt32: return "UInt32";
            case SpecialType.System_Int64: return "Int64";
            case SpecialType.System_UInt64: return "UInt64";
            case SpecialType.System_Char: return "Char";
            case SpecialType.System_Single: return "Single";
            case SpecialType.System_Double: return "Double";
            case SpecialType.System_Decimal: return "Decimal";
            case SpecialType.System_String: return "String";
            case SpecialType.System_DateTime: return "DateTime";
        }

        return type.ToDisplayString() switch
        {
            "System.Guid" => "Guid",
            "System.TimeSpan" => "TimeSpan",
            "System.DateTimeOffset" => "DateTimeOffset",
            _ => null,
        };
    }

    private static bool IsReadOnlyMemoryOfByte(ITypeSymbol type)
        => type is INamedTypeSymbol { Name: "ReadOnlyMemory", TypeArguments.Length: 1 } named
            && named.TypeArguments[0].SpecialType == SpecialType.System_Byte
            && named.ContainingNamespace.ToDisplayString() == "System";

    /// <summary>The type to go through WireCodec&lt;T&gt; for, with its registrations; null when unsupported.</summary>
    private string? ViaCodec(ITypeSymbol type)
    {
        if (type is IArrayTypeSymbol { Rank: 1 } array)
        {
            return Element(array.ElementType) is { } e ? Register($"{e}[]", $"ArrayCodec<{e}>") : null;
        }

        if (type is not INamedTypeSymbol named)
        {
            return null;
        }

        if (named.OriginalDefinition.SpecialType == SpecialType.System_Nullable_T)
        {
            return For(named.TypeArguments[0]) is null ? null : Register(Name(named), $"NullableCodec<{Name(named.TypeArguments[0])}>");
        }

        var definition = named.OriginalDefinition.ToDisplayString();
        switch (definition)
        {
            case "System.Collections.Generic.List<T>":
            case "System.Collections.Generic.IList<T>":
            case "System.Collections.Generic.IReadOnlyList<T>":
            case "System.Collections.Generic.ICollection<T>":
            case "System.Collections.Generic.IReadOnlyCollection<T>":
            case "System.Collections.Generic.IEnumerable<T>":
                return Element(named.TypeArguments[0]) is { } item ? Register($"global::System.Collections.Generic.List<{item}>", $"ListCodec<{item}>") : null;
            case "System.Collections.Generic.Dictionary<TKey, TValue>":
            case "System.Collections.Generic.IDictionary<TKey, TValue>":
            case "System.Collections.Generic.IReadOnlyDictionary<TKey, TValue>":
                return Element(named.TypeArguments[0]) is { } key && Element(named.TypeArguments[1]) is { } value
                    ? Register($"global::System.Collections.Generic.Dictionary<{key}, {value}>", $"DictionaryCodec<{key}, {value}>")
                    : null;
        }

        if (named.TypeKind == TypeKind.Interface && named.AllInterfaces.Any(i => i.ToDisplayString() is "Efflux.Runtime.IGrain" or "Efflux.Runtime.IGrainObserver"))
        {
            var reference = Name(named.WithNullableAnnotation(NullableAnnotation.NotAnnotated));
            return Register(reference, $"GrainReferenceCodec<{reference}>");
        }

        if (!IsContract(named))
        {
            return null;
        }

        if (!SymbolEqualityComparer.Default.Equals(named.ContainingAssembly, compilation.Assembly))
        {
            // Its codec registers when its own assembly's module initializer runs; make sure that has happened.
            _registrations.Add($"global::System.Runtime.CompilerServices.RuntimeHelpers.RunModuleConstructor(typeof({Name(named.WithNullableAnnotation(NullableAnnotation.NotAnnotated))}).Module.ModuleHandle);");
        }

        return Name(named.WithNullableAnnotation(NullableAnnotation.NotAnnotated));
    }

    /// <summary>An element type's name when it can travel (its own codec registered as needed).</summary>
    private string? Element(ITypeSymbol type) => For(type) is null ? null : Name(type);

    private string Register(string type, string codec)
    {
        _registrations.Add($"{Serialization}.WireCodec<{type}>.Register(new {Serialization}.{codec}());");
        return type;
    }

    public static bool IsContract(INamedTypeSymbol type)
        => type.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == "Efflux.Runtime.GenerateSerializerAttribute");
}
