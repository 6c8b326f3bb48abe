using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace Efflux.Runtime.CodeGen;

/// <summary>The generator's diagnostics: each names what is unsupported and what to do instead.</summary>
internal static class Descriptors
{
    private const string Category = "Efflux.Runtime";

    public static readonly DiagnosticDescriptor ReturnType = new(
        "EFX0001", "Grain methods return Task or ValueTask", "Grain method '{0}' returns '{1}': grain methods return Task, Task<T>, ValueTask or ValueTask<T>", Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor UnsupportedType = new(
        "EFX0002", "Type cannot travel on the wire", "'{0}' of type '{1}' cannot be serialized: use a primitive, string, byte[], ReadOnlyMemory<byte>, ReadOnlySequence<byte>, Guid, a time type, an enum, a grain or observer interface, a list, array or dictionary of those, or a type marked [GenerateSerializer]", Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor DuplicateId = new(
        "EFX0003", "Field ids are unique", "Members '{0}' and '{1}' of '{2}' both have [Id({3})]: each field id is used once and never reused", Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor DuplicateAlias = new(
        "EFX0004", "Grain method aliases are unique", "Grain methods of '{0}' share the alias '{1}': give overloads distinct [Alias] names", Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor Generic = new(
        "EFX0005", "Generic grain interfaces and methods are not supported", "'{0}' is generic: grain interfaces and their methods cannot have type parameters", Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor ByRef = new(
        "EFX0006", "No ref, out or in parameters", "Parameter '{0}' of grain method '{1}' is passed by reference: grain calls pass values", Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor OneWayResult = new(
        "EFX0007", "One-way methods return no value", "[OneWay] grain method '{0}' returns a value: one-way methods return Task or ValueTask", Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor NotAMethod = new(
        "EFX0008", "Grain interfaces declare methods only", "'{0}' is not a method: grain interfaces declare only methods", Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor NotSettable = new(
        "EFX0009", "Serialized members can be set", "Member '{0}' of '{1}' has an [Id] but can be neither set nor passed to a constructor", Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor NoConstructor = new(
        "EFX0010", "Contract types need a usable constructor", "'{0}' needs a parameterless constructor or one whose parameters all match [Id] members by name", Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor StateParameter = new(
        "EFX0011", "[PersistentState] parameters are IPersistentState<T>", "Parameter '{0}' of '{1}' has [PersistentState] but its type is '{2}': use IPersistentState<T>", Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor NoGrainConstructor = new(
        "EFX0012", "Grain classes need a public constructor", "Grain class '{0}' has no public constructor", Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    private static readonly Dictionary<string, DiagnosticDescriptor> ById = new[]
    {
        ReturnType, UnsupportedType, DuplicateId, DuplicateAlias, Generic, ByRef, OneWayResult, NotAMethod, NotSettable, NoConstructor, StateParameter, NoGrainConstructor,
    }.ToDictionary(d => d.Id);

    public static DiagnosticInfo Info(DiagnosticDescriptor descriptor, ISymbol? symbol, params string[] arguments)
        => new(descriptor.Id, DiagnosticLocation.From(symbol?.Locations.FirstOrDefault()), new EquatableArray<string>(arguments));

    public static Diagnostic Create(DiagnosticInfo info)
        => Diagnostic.Create(ById[info.Id], info.Location?.ToLocation(), info.Arguments.ToArray<object>());
}
