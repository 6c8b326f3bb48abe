using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace Efflux.Runtime.CodeGen;

/// <summary>Where a diagnostic points, kept as plain values so that models compare by value.</summary>
internal sealed record DiagnosticLocation(string Path, TextSpan Span, LinePositionSpan LineSpan)
{
    public static DiagnosticLocation? From(Location? location)
        => location is null || location.SourceTree is null ? null : new(location.SourceTree.FilePath, location.SourceSpan, location.GetLineSpan().Span);

    public Location ToLocation() => Location.Create(Path, Span, LineSpan);
}

/// <summary>What every model gives the output step: a file name and the problems that stop generation.</summary>
internal interface IGeneratedModel
{
    string HintName { get; }

    EquatableArray<DiagnosticInfo> Diagnostics { get; }
}

/// <summary>A diagnostic to report, by descriptor id and message arguments.</summary>
internal sealed record DiagnosticInfo(string Id, DiagnosticLocation? Location, EquatableArray<string> Arguments);

/// <summary>How a value of one type is written and read: format strings over {0} = the value / nothing.</summary>
internal sealed record TypeCodecModel(string TypeName, string Write, string Read);

/// <summary>A grain method parameter.</summary>
internal sealed record ParameterModel(string Name, string TypeName, bool IsCancellationToken, TypeCodecModel? Codec);

/// <summary>A grain method, with the interface that declares it.</summary>
internal sealed record MethodModel(
    string Name,
    string DeclaringInterface,
    string FullAlias,
    uint MethodId,
    string ReturnType,
    bool ReturnsValueTask,
    TypeCodecModel? Result,
    string Flags,
    EquatableArray<ParameterModel> Parameters);

/// <summary>A grain or observer interface and everything its proxy implements.</summary>
internal sealed record InterfaceModel(
    string Namespace,
    string Name,
    string FullName,
    string HintName,
    string Alias,
    EquatableArray<MethodModel> Methods,
    EquatableArray<string> Registrations,
    EquatableArray<DiagnosticInfo> Diagnostics) : IGeneratedModel;

/// <summary>One serialized member of a contract type.</summary>
internal sealed record MemberModel(string Name, uint Id, TypeCodecModel Codec, string Assignment);

/// <summary>A [GenerateSerializer] type.</summary>
internal sealed record ContractModel(
    string Namespace,
    string Name,
    string FullName,
    string HintName,
    bool IsValueType,
    EquatableArray<string> ConstructorArguments,
    EquatableArray<MemberModel> Members,
    EquatableArray<string> Registrations,
    EquatableArray<DiagnosticInfo> Diagnostics) : IGeneratedModel;

/// <summary>A grain implementation class and how to construct it.</summary>
internal sealed record GrainClassModel(
    string Namespace,
    string Name,
    string FullName,
    string HintName,
    bool Reentrant,
    string Placement,
    EquatableArray<string> GrainTypes,
    EquatableArray<string> ConstructorArguments,
    EquatableArray<DiagnosticInfo> Diagnostics) : IGeneratedModel;
