using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Efflux.Runtime.CodeGen;

/// <summary>
/// Emits, per grain or observer interface, a proxy and one request class per method (the invoker: it calls the grain
/// and writes the result), and per [GenerateSerializer] type a wire codec; all register themselves in a module
/// initializer. Models are value-equal, so unchanged interfaces are not regenerated.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class GrainGenerator : IIncrementalGenerator
{
    /// <summary>Tracking name of the grain interface models (for incremental-caching tests).</summary>
    public const string InterfaceStep = "GrainInterfaces";

    /// <summary>Tracking name of the contract models.</summary>
    public const string ContractStep = "Contracts";

    /// <inheritdoc />
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var interfaces = context.SyntaxProvider
            .CreateSyntaxProvider(
                static (node, _) => node is InterfaceDeclarationSyntax { BaseList: not null },
                static (syntax, cancellationToken) => ModelBuilder.Interface(syntax, cancellationToken))
            .Where(static model => model is not null)
            .WithTrackingName(InterfaceStep);
        context.RegisterSourceOutput(interfaces, static (output, model) =>
        {
            foreach (var diagnostic in model!.Diagnostics)
            {
                output.ReportDiagnostic(Descriptors.Create(diagnostic));
            }

            if (model.Diagnostics.Count == 0)
            {
                output.AddSource(model.HintName, Emitter.Interface(model));
            }
        });

        var contracts = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                "Efflux.Runtime.GenerateSerializerAttribute",
                static (node, _) => node is TypeDeclarationSyntax,
                static (syntax, cancellationToken) => ModelBuilder.Contract(syntax, cancellationToken))
            .WithTrackingName(ContractStep);
        context.RegisterSourceOutput(contracts, static (output, model) =>
        {
            foreach (var diagnostic in model.Diagnostics)
            {
                output.ReportDiagnostic(Descriptors.Create(diagnostic));
            }

            if (model.Diagnostics.Count == 0)
            {
                output.AddSource(model.HintName, Emitter.Contract(model));
            }
        });
    }
}
