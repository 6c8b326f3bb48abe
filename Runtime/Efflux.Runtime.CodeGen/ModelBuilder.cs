using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Threading;
using Microsoft.CodeAnalysis;

namespace Efflux.Runtime.CodeGen;

/// <summary>Turns grain interfaces and contract types into value-equal models (all symbol work happens here).</summary>
internal static class ModelBuilder
{
    private const string Runtime = "Efflux.Runtime";

    private static readonly HashSet<string> Markers =
    [
        "Efflux.Runtime.IGrain", "Efflux.Runtime.IGrainWithStringKey", "Efflux.Runtime.IGrainWithGuidKey", "Efflux.Runtime.IGrainObserver",
    ];

    public static InterfaceModel? Interface(GeneratorSyntaxContext context, CancellationToken cancellationToken)
    {
        if (context.SemanticModel.GetDeclaredSymbol(context.Node, cancellationToken) is not INamedTypeSymbol symbol
            || !IsGrainInterface(symbol)
            || Markers.Contains(symbol.ToDisplayString())
            || symbol.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken) != context.Node)
        {
            return null;
        }

        var codecs = new TypeCodecs(context.SemanticModel.Compilation);
        var diagnostics = new List<DiagnosticInfo>();
        var alias = AliasOf(symbol) ?? symbol.ToDisplayString();
        if (symbol.IsGenericType)
        {
            diagnostics.Add(Descriptors.Info(Descriptors.Generic, symbol, symbol.Name));
        }

        var methods = new List<MethodModel>();
        foreach (var owner in new[] { symbol }.Concat(symbol.AllInterfaces.Where(i => IsGrainInterface(i) && !Markers.Contains(i.ToDisplayString()))))
        {
            var ownerAlias = AliasOf(owner) ?? owner.ToDisplayString();
            var seen = new Dictionary<string, IMethodSymbol>();
            foreach (var member in owner.GetMembers())
            {
                if (member is IMethodSymbol { MethodKind: MethodKind.Ordinary } method)
                {
                    var methodAlias = AliasOf(method) ?? method.Name;
                    if (seen.ContainsKey(methodAlias))
                    {
                        diagnostics.Add(Descriptors.Info(Descriptors.DuplicateAlias, method, owner.Name, methodAlias));
                        continue;
                    }

                    seen[methodAlias] = method;
                    if (Method(method, owner, ownerAlias + "." + methodAlias, codecs, diagnostics) is { } model)
                    {
                        methods.Add(model);
                    }
                }
                else if (member is IPropertySymbol or IEventSymbol)
                {
                    diagnostics.Add(Descriptors.Info(Descriptors.NotAMethod, member, member.Name));
                }
            }
        }

        return new InterfaceModel(
            Namespace(symbol),
            ProxyBaseName(symbol),
            TypeCodecs.Name(symbol),
            HintName(symbol),
            alias,
            new EquatableArray<MethodModel>(methods),
            new EquatableArray<string>(codecs.Registrations),
            new EquatableArray<DiagnosticInfo>(diagnostics));
    }

    public static ContractModel Contract(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        var symbol = (INamedTypeSymbol)context.TargetSymbol;
        var codecs = new TypeCodecs(context.SemanticModel.Compilation);
        var diagnostics = new List<DiagnosticInfo>();
        var members = new List<(ISymbol Symbol, uint Id, ITypeSymbol Type)>();
        foreach (var member in symbol.GetMembers())
        {
            cancellationToken.ThrowIfCancellationRequested();
            var type = member switch
            {
                IPropertySymbol p => p.Type,
                IFieldSymbol { IsImplicitlyDeclared: false } f => f.Type,
                _ => null,
            };
            if (type is not null && IdOf(member) is { } id)
            {
                members.Add((member, id, type));
            }
        }

        // A positional record's [Id] on its parameter stays on the parameter: carry it to the property.
        var constructor = symbol.InstanceConstructors.Where(c => c.DeclaredAccessibility != Accessibility.Private).OrderBy(c => c.Parameters.Length).ToList();
        foreach (var parameter in constructor.SelectMany(c => c.Parameters))
        {
            if (IdOf(parameter) is { } id && members.All(m => m.Symbol.Name != parameter.Name)
                && symbol.GetMembers(parameter.Name).OfType<IPropertySymbol>().FirstOrDefault() is { } property)
            {
                members.Add((property, id, property.Type));
            }
        }

        foreach (var group in members.GroupBy(m => m.Id).Where(g => g.Count() > 1))
        {
            var pair = group.Take(2).ToList();
            diagnostics.Add(Descriptors.Info(Descriptors.DuplicateId, pair[1].Symbol, pair[0].Symbol.Name, pair[1].Symbol.Name, symbol.Name, group.Key.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        // The constructor: parameterless, or one whose parameters all name serialized members.
        var chosen = constructor.FirstOrDefault(c => c.Parameters.All(p => members.Any(m => string.Equals(m.Symbol.Name, p.Name, System.StringComparison.OrdinalIgnoreCase))));
        if (chosen is null && !symbol.IsValueType)
        {
            diagnostics.Add(Descriptors.Info(Descriptors.NoConstructor, symbol, symbol.Name));
        }

        var arguments = chosen?.Parameters.Select(p => members.First(m => string.Equals(m.Symbol.Name, p.Name, System.StringComparison.OrdinalIgnoreCase)).Symbol.Name).ToList() ?? [];
        var models = new List<MemberModel>();
        foreach (var (member, id, type) in members.OrderBy(m => m.Id))
        {
            var codec = codecs.For(type);
            if (codec is null)
            {
                diagnostics.Add(Descriptors.Info(Descriptors.UnsupportedType, member, member.Name, type.ToDisplayString()));
                continue;
            }

            var assignment = arguments.Contains(member.Name) ? "Constructor"
                : member is IPropertySymbol { SetMethod: { } setter } ? (setter.IsInitOnly ? "Init" : "Set")
                : member is IFieldSymbol { IsReadOnly: false, IsConst: false } ? "Set"
                : null;
            if (assignment is null)
            {
                diagnostics.Add(Descriptors.Info(Descriptors.NotSettable, member, member.Name, symbol.Name));
                continue;
            }

            models.Add(new MemberModel(member.Name, id, codec, assignment));
        }

        return new ContractModel(
            Namespace(symbol),
            ProxyBaseName(symbol),
            TypeCodecs.Name(symbol),
            HintName(symbol),
            symbol.IsValueType,
            new EquatableArray<string>(arguments),
            new EquatableArray<MemberModel>(models),
            new EquatableArray<string>(codecs.Registrations),
            new EquatableArray<DiagnosticInfo>(diagnostics));
    }

    public static GrainClassModel? GrainClass(GeneratorSyntaxContext context, CancellationToken cancellationToken)
    {
        if (context.SemanticModel.GetDeclaredSymbol(context.Node, cancellationToken) is not INamedTypeSymbol symbol
            || symbol.IsAbstract
            || symbol.IsGenericType
            || !DerivesFromGrain(symbol)
            || symbol.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken) != context.Node)
        {
            return null;
        }

        var grainTypes = symbol.AllInterfaces
            .Where(i => IsGrainInterface(i) && !Markers.Contains(i.ToDisplayString()) && !i.AllInterfaces.Any(b => b.ToDisplayString() == "Efflux.Runtime.IGrainObserver"))
            .Select(i => AliasOf(i) ?? i.ToDisplayString())
            .OrderBy(a => a, System.StringComparer.Ordinal)
            .ToList();
        if (grainTypes.Count == 0)
        {
            return null;
        }

        var diagnostics = new List<DiagnosticInfo>();
        var constructor = symbol.InstanceConstructors.Where(c => c.DeclaredAccessibility == Accessibility.Public).OrderByDescending(c => c.Parameters.Length).FirstOrDefault();
        if (constructor is null)
        {
            diagnostics.Add(Descriptors.Info(Descriptors.NoGrainConstructor, symbol, symbol.Name));
        }

        var arguments = new List<string>();
        foreach (var parameter in constructor?.Parameters ?? [])
        {
            var state = parameter.GetAttributes().FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == "Efflux.Runtime.PersistentStateAttribute");
            if (state is null)
            {
                arguments.Add($"global::Efflux.Runtime.Invocation.GrainClass.Require<{TypeCodecs.Name(parameter.Type)}>(services)");
                continue;
            }

            if (parameter.Type is not INamedTypeSymbol { Name: "IPersistentState", TypeArguments.Length: 1 } stateType
                || stateType.ContainingNamespace.ToDisplayString() != Runtime)
            {
                diagnostics.Add(Descriptors.Info(Descriptors.StateParameter, parameter, parameter.Name, symbol.Name, parameter.Type.ToDisplayString()));
                continue;
            }

            var stateName = state.ConstructorArguments[0].Value as string ?? parameter.Name;
            var storageName = state.ConstructorArguments.Length > 1 ? state.ConstructorArguments[1].Value as string ?? "Default" : "Default";
            arguments.Add($"global::Efflux.Runtime.Invocation.GrainClass.State<{TypeCodecs.Name(stateType.TypeArguments[0])}>(services, grainId, {Literal(stateName)}, {Literal(storageName)})");
        }

        var placement = Has(symbol, "SiloPlacementAttribute") ? "Silo" : Has(symbol, "DirectoryPlacementAttribute") ? "Directory" : Has(symbol, "PreferLocalPlacementAttribute") ? "PreferLocal" : "Hash";
        return new GrainClassModel(
            Namespace(symbol),
            ProxyBaseName(symbol),
            TypeCodecs.Name(symbol),
            HintName(symbol),
            HasInherited(symbol, "ReentrantAttribute"),
            placement,
            new EquatableArray<string>(grainTypes),
            new EquatableArray<string>(arguments),
            new EquatableArray<DiagnosticInfo>(diagnostics));
    }

    private static bool DerivesFromGrain(INamedTypeSymbol symbol)
    {
        for (var type = symbol.BaseType; type is not null; type = type.BaseType)
        {
            if (type.ToDisplayString() == "Efflux.Runtime.Grain")
            {
                return true;
            }
        }

        return false;
    }

    private static bool HasInherited(INamedTypeSymbol symbol, string attribute)
    {
        for (var type = symbol; type is not null; type = type.BaseType)
        {
            if (Has(type, attribute))
            {
                return true;
            }
        }

        return false;
    }

    private static string Literal(string text) => Microsoft.CodeAnalysis.CSharp.SymbolDisplay.FormatLiteral(text, quote: true);

    private static MethodModel? Method(IMethodSymbol method, INamedTypeSymbol owner, string fullAlias, TypeCodecs codecs, List<DiagnosticInfo> diagnostics)
    {
        if (method.IsGenericMethod)
        {
            diagnostics.Add(Descriptors.Info(Descriptors.Generic, method, method.Name));
            return null;
        }

        var returnType = method.ReturnType as INamedTypeSymbol;
        var definition = returnType?.OriginalDefinition.ToDisplayString();
        var isValueTask = definition is "System.Threading.Tasks.ValueTask" or "System.Threading.Tasks.ValueTask<TResult>";
        if (definition is not ("System.Threading.Tasks.Task" or "System.Threading.Tasks.Task<TResult>") && !isValueTask)
        {
            diagnostics.Add(Descriptors.Info(Descriptors.ReturnType, method, method.Name, method.ReturnType.ToDisplayString()));
            return null;
        }

        var flags = new List<string>();
        if (Has(method, "ReadOnlyAttribute"))
        {
            flags.Add("ReadOnly");
        }

        if (Has(method, "AlwaysInterleaveAttribute"))
        {
            flags.Add("AlwaysInterleave");
        }

        if (Has(method, "OneWayAttribute"))
        {
            flags.Add("OneWay");
        }

        TypeCodecModel? result = null;
        if (returnType!.TypeArguments.Length == 1)
        {
            if (flags.Contains("OneWay"))
            {
                diagnostics.Add(Descriptors.Info(Descriptors.OneWayResult, method, method.Name));
                return null;
            }

            result = codecs.For(returnType.TypeArguments[0]);
            if (result is null)
            {
                diagnostics.Add(Descriptors.Info(Descriptors.UnsupportedType, method, "the result of " + method.Name, returnType.TypeArguments[0].ToDisplayString()));
                return null;
            }
        }

        var parameters = new List<ParameterModel>();
        foreach (var parameter in method.Parameters)
        {
            if (parameter.RefKind != RefKind.None)
            {
                diagnostics.Add(Descriptors.Info(Descriptors.ByRef, parameter, parameter.Name, method.Name));
                return null;
            }

            if (parameter.Type.ToDisplayString() == "System.Threading.CancellationToken")
            {
                parameters.Add(new ParameterModel(parameter.Name, TypeCodecs.Name(parameter.Type), true, null));
                continue;
            }

            var codec = codecs.For(parameter.Type);
            if (codec is null)
            {
                diagnostics.Add(Descriptors.Info(Descriptors.UnsupportedType, parameter, parameter.Name, parameter.Type.ToDisplayString()));
                return null;
            }

            parameters.Add(new ParameterModel(parameter.Name, TypeCodecs.Name(parameter.Type), false, codec));
        }

        return new MethodModel(
            method.Name,
            TypeCodecs.Name(owner),
            fullAlias,
            Fnv1a(fullAlias),
            TypeCodecs.Name(method.ReturnType),
            isValueTask,
            result,
            flags.Count == 0 ? "None" : string.Join(" | ", flags.Select(f => "global::Efflux.Runtime.Invocation.CallFlags." + f)),
            new EquatableArray<ParameterModel>(parameters));
    }

    private static bool IsGrainInterface(INamedTypeSymbol symbol)
        => symbol.TypeKind == TypeKind.Interface
            && (Markers.Contains(symbol.ToDisplayString()) || symbol.AllInterfaces.Any(i => i.ToDisplayString() is "Efflux.Runtime.IGrain" or "Efflux.Runtime.IGrainObserver"));

    private static bool Has(ISymbol symbol, string attribute)
        => symbol.GetAttributes().Any(a => a.AttributeClass is { } c && c.Name == attribute && c.ContainingNamespace.ToDisplayString() == Runtime);

    private static string? AliasOf(ISymbol symbol)
        => symbol.GetAttributes().FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == "Efflux.Runtime.AliasAttribute")?.ConstructorArguments.FirstOrDefault().Value as string;

    private static uint? IdOf(ISymbol symbol)
        => symbol.GetAttributes().FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == "Efflux.Runtime.IdAttribute")?.ConstructorArguments.FirstOrDefault().Value as uint?;

    private static string Namespace(INamedTypeSymbol symbol) => symbol.ContainingNamespace.IsGlobalNamespace ? string.Empty : symbol.ContainingNamespace.ToDisplayString();

    /// <summary>A type name usable in generated type names: nesting flattened with underscores.</summary>
    private static string ProxyBaseName(INamedTypeSymbol symbol)
    {
        var name = new StringBuilder(symbol.Name);
        for (var outer = symbol.ContainingType; outer is not null; outer = outer.ContainingType)
        {
            name.Insert(0, outer.Name + "_");
        }

        return name.ToString();
    }

    private static string HintName(INamedTypeSymbol symbol)
        => symbol.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat).Replace("global::", string.Empty).Replace('<', '_').Replace('>', '_').Replace(',', '_').Replace(' ', '_') + ".g.cs";

    /// <summary>FNV-1a over the UTF-8 bytes: stable across processes and versions (string.GetHashCode is not).</summary>
    public static uint Fnv1a(string text)
    {
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            hash = unchecked((hash ^ b) * 16777619u);
        }

        return hash;
    }
}
