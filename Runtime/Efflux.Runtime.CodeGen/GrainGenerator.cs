using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Efflux.Runtime.CodeGen;

/// <summary>
/// Emits, per grain or observer interface, a proxy and one request class per method (the invoker: it calls the grain
/// and writes the result); per grain class a factory that builds it from the silo's services; and per
/// [GenerateSerializer] type a wire codec. All register themselves in a module initializer. Models are value-equal, so unchanged interfaces are not regenerated.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class GrainGenerator : IIncrementalGenerator
{
    /// <summary>Tracking name of the grain interface models (for incremental-caching tests).</summary>
    public const string InterfaceStep = "GrainInterfaces";

    /// <summary>Tracking name of the grain class models.</summary>
    public const string ClassStep = "GrainClasses";

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
            .Select(static (model, _) => model!)
            .WithTrackingName(InterfaceStep);
        Output(context, interfaces, Emitter.Interface);

        var classes = context.SyntaxProvider
            .CreateSyntaxProvider(
                static (node, _) => node is ClassDeclarationSyntax { BaseList: not null },
                static (syntax, cancellationToken) => ModelBuilder.GrainClass(syntax, cancellationToken))
            .Where(static model => model is not null)
            .Select(static (model, _) => model!)
            .WithTrackingName(ClassStep);
        Output(context, classes, Emitter.GrainClass);

        var contracts = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                "Efflux.Runtime.GenerateSerializerAttribute",
                static (node, _) => node is TypeDeclarationSyntax,
                static (syntax, cancellationToken) => ModelBuilder.Contract(syntax, cancellationToken))
            .WithTrackingName(ContractStep);
        Output(context, contracts, Emitter.Contract);
    }

    /// <summary>Reports a model's diagnostics, or adds its source when it has none.</summary>
    private static void Output<TModel>(IncrementalGeneratorInitializationContext context, IncrementalValuesProvider<TModel> models, System.Func<TModel, string> emit)
        where TModel : IGeneratedModel
        => context.RegisterSourceOutput(models, (output, model) =>
        {
            foreach (var diagnostic in model.Diagnostics)
            {
                output.ReportDiagnostic(Descriptors.Create(diagnostic));
            }

            if (model.Diagnostics.Count == 0)
            {
                output.AddSource(model.HintName, emit(model));
            }
        });
}
