using System.Globalization;
using System.Linq;
using System.Text;

namespace Efflux.Runtime.CodeGen;

/// <summary>Writes the source of proxies, requests, codecs and their registration from models.</summary>
internal static class Emitter
{
    private const string Invocation = "global::Efflux.Runtime.Invocation";
    private const string Serialization = TypeCodecs.Serialization;
    private const string Attributes = """
        [global::System.CodeDom.Compiler.GeneratedCode("Efflux.Runtime.CodeGen", "1.0")]
        [global::System.ComponentModel.EditorBrowsable(global::System.ComponentModel.EditorBrowsableState.Never)]
    """;

    public static string Interface(InterfaceModel model)
    {
        var s = Header(model.Namespace);
        var proxy = model.Name + "Proxy";
        s.AppendLine(Attributes.Replace("    [", "[")).Append("internal sealed class ").Append(proxy).Append(" : ").Append(Invocation).Append(".GrainReference, ").AppendLine(model.FullName);
        s.AppendLine("{");
        s.Append("    public ").Append(proxy).Append("(global::Efflux.Runtime.GrainId grainId, ").Append(Invocation).AppendLine(".IGrainCallInvoker invoker)");
        s.AppendLine("        : base(grainId, invoker)");
        s.AppendLine("    {");
        s.AppendLine("    }");
        for (var i = 0; i < model.Methods.Count; i++)
        {
            var m = model.Methods[i];
            s.AppendLine();
            s.Append("    ").Append(m.ReturnType).Append(' ').Append(m.DeclaringInterface).Append('.').Append(m.Name).Append('(')
                .Append(string.Join(", ", m.Parameters.Select(p => p.TypeName + " " + Identifier(p.Name)))).AppendLine(")");
            s.AppendLine("    {");
            s.Append("        var __request = new ").Append(RequestName(model, i, m)).AppendLine("();");
            var index = 0;
            foreach (var p in m.Parameters)
            {
                s.Append("        __request.").Append(p.IsCancellationToken ? "CancellationToken" : "Arg" + index++.ToString(CultureInfo.InvariantCulture)).Append(" = ").Append(Identifier(p.Name)).AppendLine(";");
            }

            if (m.Flags.Contains("OneWay"))
            {
                s.AppendLine("        Invoker.InvokeOneWay(GrainId, __request);");
                s.AppendLine(m.ReturnsValueTask ? "        return default;" : "        return global::System.Threading.Tasks.Task.CompletedTask;");
            }
            else if (m.Result is null)
            {
                s.AppendLine(m.ReturnsValueTask
                    ? "        return new global::System.Threading.Tasks.ValueTask(Invoker.InvokeAsync(GrainId, __request));"
                    : "        return Invoker.InvokeAsync(GrainId, __request);");
            }
            else
            {
                s.AppendLine(m.ReturnsValueTask
                    ? "        return new " + m.ReturnType + "(Invoker.InvokeAsync(GrainId, __request));"
                    : "        return Invoker.InvokeAsync(GrainId, __request);");
            }

            s.AppendLine("    }");
        }

        s.AppendLine("}");
        for (var i = 0; i < model.Methods.Count; i++)
        {
            Request(s, model, i, model.Methods[i]);
        }

        s.AppendLine();
        s.AppendLine(Attributes.Replace("    [", "[")).Append("internal static class ").Append(model.Name).AppendLine("Registration");
        s.AppendLine("{");
        s.AppendLine("    [global::System.Runtime.CompilerServices.ModuleInitializer]");
        s.AppendLine("    internal static void Register()");
        s.AppendLine("    {");
        foreach (var registration in model.Registrations)
        {
            s.Append("        ").AppendLine(registration);
        }

        s.Append("        ").Append(Invocation).Append(".GrainInterfaces.Register<").Append(model.FullName).Append(">(").Append(Literal(model.Alias))
            .Append(", static (grainId, invoker) => new ").Append(proxy).AppendLine("(grainId, invoker));");
        for (var i = 0; i < model.Methods.Count; i++)
        {
            var m = model.Methods[i];
            s.Append("        ").Append(Invocation).Append(".GrainInterfaces.RegisterMethod(").Append(Hex(m.MethodId)).Append(", ").Append(Literal(m.FullAlias))
                .Append(", static () => new ").Append(RequestName(model, i, m)).AppendLine("());");
        }

        s.AppendLine("    }");
        s.AppendLine("}");
        return s.ToString();
    }

    public static string Contract(ContractModel model)
    {
        var s = Header(model.Namespace);
        var type = model.IsValueType ? model.FullName : model.FullName + "?";
        s.AppendLine(Attributes.Replace("    [", "[")).Append("internal sealed class ").Append(model.Name).Append("Codec : ").Append(Serialization).Append(".IWireCodec<").Append(type).AppendLine(">");
        s.AppendLine("{");
        s.Append("    public void Write(").Append(Serialization).Append(".WireWriter writer, ").Append(type).AppendLine(" value)");
        s.AppendLine("    {");
        if (!model.IsValueType)
        {
            s.AppendLine("        if (value is null)");
            s.AppendLine("        {");
            s.AppendLine("            writer.WriteBool(false);");
            s.AppendLine("            return;");
            s.AppendLine("        }");
            s.AppendLine();
            s.AppendLine("        writer.WriteBool(true);");
        }

        s.AppendLine("        int field;");
        foreach (var member in model.Members)
        {
            s.Append("        field = writer.BeginField(").Append(member.Id.ToString(CultureInfo.InvariantCulture)).AppendLine(");");
            s.Append("        ").Append(string.Format(CultureInfo.InvariantCulture, member.Codec.Write, "value." + member.Name)).AppendLine(";");
            s.AppendLine("        writer.EndField(field);");
        }

        s.AppendLine("        writer.WriteEndObject();");
        s.AppendLine("    }");
        s.AppendLine();
        s.Append("    public ").Append(type).Append(" Read(ref ").Append(Serialization).AppendLine(".WireReader reader)");
        s.AppendLine("    {");
        if (!model.IsValueType)
        {
            s.AppendLine("        if (!reader.ReadBool())");
            s.AppendLine("        {");
            s.AppendLine("            return null;");
            s.AppendLine("        }");
            s.AppendLine();
        }

        foreach (var member in model.Members)
        {
            s.Append("        ").Append(member.Codec.TypeName).Append(" m_").Append(member.Name).AppendLine(" = default!;");
            if (member.Assignment == "Set")
            {
                s.Append("        var has_").Append(member.Name).AppendLine(" = false;");
            }
        }

        s.AppendLine("        while (reader.ReadField(out var id, out var end))");
        s.AppendLine("        {");
        s.AppendLine("            switch (id)");
        s.AppendLine("            {");
        foreach (var member in model.Members)
        {
            s.Append("                case ").Append(member.Id.ToString(CultureInfo.InvariantCulture)).AppendLine(":");
            s.Append("                    m_").Append(member.Name).Append(" = ").Append(member.Codec.Read).AppendLine(";");
            if (member.Assignment == "Set")
            {
                s.Append("                    has_").Append(member.Name).AppendLine(" = true;");
            }

            s.AppendLine("                    break;");
        }

        s.AppendLine("            }");
        s.AppendLine();
        s.AppendLine("            reader.SkipTo(end);");
        s.AppendLine("        }");
        s.AppendLine();
        s.Append("        var result = new ").Append(model.FullName).Append('(').Append(string.Join(", ", model.ConstructorArguments.Select(a => "m_" + a))).Append(')');
        var inits = model.Members.Where(m => m.Assignment == "Init").ToList();
        if (inits.Count > 0)
        {
            s.AppendLine().AppendLine("        {");
            foreach (var member in inits)
            {
                s.Append("            ").Append(member.Name).Append(" = m_").Append(member.Name).AppendLine(",");
            }

            s.Append("        }");
        }

        s.AppendLine(";");
        foreach (var member in model.Members.Where(m => m.Assignment == "Set"))
        {
            s.Append("        if (has_").Append(member.Name).AppendLine(")");
            s.AppendLine("        {");
            s.Append("            result.").Append(member.Name).Append(" = m_").Append(member.Name).AppendLine(";");
            s.AppendLine("        }");
        }

        s.AppendLine("        return result;");
        s.AppendLine("    }");
        s.AppendLine();
        s.AppendLine("    [global::System.Runtime.CompilerServices.ModuleInitializer]");
        s.AppendLine("    internal static void Register()");
        s.AppendLine("    {");
        foreach (var registration in model.Registrations)
        {
            s.Append("        ").AppendLine(registration);
        }

        s.Append("        ").Append(Serialization).Append(".WireCodec<").Append(model.FullName).Append(">.Register(new ").Append(model.Name).AppendLine("Codec());");
        s.AppendLine("    }");
        s.AppendLine("}");
        return s.ToString();
    }

    public static string GrainClass(GrainClassModel model)
    {
        var s = Header(model.Namespace);
        s.AppendLine(Attributes.Replace("    [", "[")).Append("internal static class ").Append(model.Name).AppendLine("Registration");
        s.AppendLine("{");
        s.AppendLine("    [global::System.Runtime.CompilerServices.ModuleInitializer]");
        s.AppendLine("    internal static void Register()");
        s.AppendLine("    {");
        s.Append("        var grainClass = new ").Append(Invocation).Append(".GrainClass(").Append(Literal(model.FullName.Replace("global::", string.Empty)))
            .Append(", ").Append(model.Reentrant ? "true" : "false").Append(", ").Append(Invocation).Append(".Placement.").Append(model.Placement)
            .Append(", static (services, grainId) => new ").Append(model.FullName).Append('(').Append(string.Join(", ", model.ConstructorArguments)).AppendLine("));");
        foreach (var grainType in model.GrainTypes)
        {
            s.Append("        ").Append(Invocation).Append(".GrainInterfaces.RegisterClass(").Append(Literal(grainType)).AppendLine(", grainClass);");
        }

        s.AppendLine("    }");
        s.AppendLine("}");
        return s.ToString();
    }

    private static void Request(StringBuilder s, InterfaceModel model, int index, MethodModel m)
    {
        var result = m.Result?.TypeName ?? Invocation + ".None";
        s.AppendLine();
        s.AppendLine(Attributes.Replace("    [", "[")).Append("internal sealed class ").Append(RequestName(model, index, m)).Append(" : ").Append(Invocation).Append(".GrainRequest<").Append(result).AppendLine(">");
        s.AppendLine("{");
        var arguments = m.Parameters.Where(p => !p.IsCancellationToken).ToList();
        for (var i = 0; i < arguments.Count; i++)
        {
            s.Append("    public ").Append(arguments[i].TypeName).Append(" Arg").Append(i.ToString(CultureInfo.InvariantCulture)).AppendLine(" = default!;");
            s.AppendLine();
        }

        s.Append("    public override uint MethodId => ").Append(Hex(m.MethodId)).AppendLine(";");
        s.AppendLine();
        s.Append("    public override string MethodName => ").Append(Literal(m.FullAlias)).AppendLine(";");
        s.AppendLine();
        s.Append("    public override ").Append(Invocation).Append(".CallFlags Flags => ").Append(m.Flags == "None" ? Invocation + ".CallFlags.None" : m.Flags).AppendLine(";");
        s.AppendLine();
        s.Append("    public override void WriteArguments(").Append(Serialization).AppendLine(".WireWriter writer)");
        s.AppendLine("    {");
        for (var i = 0; i < arguments.Count; i++)
        {
            s.Append("        ").Append(string.Format(CultureInfo.InvariantCulture, arguments[i].Codec!.Write, "Arg" + i.ToString(CultureInfo.InvariantCulture))).AppendLine(";");
        }

        s.AppendLine("    }");
        s.AppendLine();
        s.Append("    public override void ReadArguments(ref ").Append(Serialization).AppendLine(".WireReader reader)");
        s.AppendLine("    {");
        for (var i = 0; i < arguments.Count; i++)
        {
            s.Append("        Arg").Append(i.ToString(CultureInfo.InvariantCulture)).Append(" = ").Append(arguments[i].Codec!.Read).AppendLine(";");
        }

        s.AppendLine("    }");
        s.AppendLine();
        s.Append("    public override ").Append(m.Result is null ? "async " : string.Empty).Append("global::System.Threading.Tasks.Task<").Append(result).AppendLine("> InvokeAsync(object grain)");
        s.AppendLine("    {");
        var argumentIndex = 0;
        var call = "((" + m.DeclaringInterface + ")grain)." + m.Name + "(" + string.Join(", ", m.Parameters.Select(p => p.IsCancellationToken ? "CancellationToken" : "Arg" + argumentIndex++.ToString(CultureInfo.InvariantCulture))) + ")";
        if (m.Result is null)
        {
            s.Append("        await ").Append(call).AppendLine(".ConfigureAwait(false);");
            s.Append("        return ").Append(Invocation).AppendLine(".None.Value;");
        }
        else
        {
            s.Append("        return ").Append(call).AppendLine(m.ReturnsValueTask ? ".AsTask();" : ";");
        }

        s.AppendLine("    }");
        s.AppendLine();
        s.Append("    public override void WriteResult(").Append(Serialization).Append(".WireWriter writer, ").Append(result).AppendLine(" result)");
        s.AppendLine("    {");
        if (m.Result is not null)
        {
            s.Append("        ").Append(string.Format(CultureInfo.InvariantCulture, m.Result.Write, "result")).AppendLine(";");
        }

        s.AppendLine("    }");
        s.AppendLine();
        s.Append("    public override ").Append(result).Append(" ReadResult(ref ").Append(Serialization).AppendLine(".WireReader reader)");
        s.Append("        => ").Append(m.Result?.Read ?? Invocation + ".None.Value").AppendLine(";");
        s.AppendLine("}");
    }

    private static StringBuilder Header(string ns)
    {
        var s = new StringBuilder();
        s.AppendLine("// <auto-generated/> by Efflux.Runtime.CodeGen");
        s.AppendLine("#nullable enable annotations");
        s.AppendLine("#nullable disable warnings");
        s.AppendLine("#pragma warning disable CS1591, CA2255");
        s.AppendLine();
        if (ns.Length > 0)
        {
            s.Append("namespace ").Append(ns).AppendLine(";");
            s.AppendLine();
        }

        return s;
    }

    private static string RequestName(InterfaceModel model, int index, MethodModel m)
        => model.Name + "_" + m.Name + "_" + index.ToString(CultureInfo.InvariantCulture) + "_Request";

    private static string Identifier(string name) => Microsoft.CodeAnalysis.CSharp.SyntaxFacts.GetKeywordKind(name) != Microsoft.CodeAnalysis.CSharp.SyntaxKind.None ? "@" + name : name;

    private static string Hex(uint value) => "0x" + value.ToString("x8", CultureInfo.InvariantCulture) + "u";

    private static string Literal(string text) => Microsoft.CodeAnalysis.CSharp.SymbolDisplay.FormatLiteral(text, quote: true);
}
