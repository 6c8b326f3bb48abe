using System.Collections.Immutable;
using Efflux.Runtime.CodeGen;
using Efflux.Tests.Shared;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Efflux.Runtime.Tests;

/// <summary>
/// The source generator run in process: its output matches the golden files (set EFFLUX_UPDATE_GOLDEN=1 to rewrite
/// them after an intended change), compiles cleanly, is cached across unrelated edits, and reports clear errors.
/// </summary>
public sealed class GeneratorTests
{
    private const string Sample = """
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;
        using Efflux.Runtime;

        namespace Shop;

        [GenerateSerializer]
        [Alias("shop.order")]
        public sealed record Order([property: Id(0)] string Sku, [property: Id(1)] int Quantity)
        {
            [Id(2)]
            public List<string> Notes { get; set; } = new();
        }

        [Alias("shop.cart")]
        public interface ICartGrain : IGrainWithStringKey
        {
            Task<int> AddAsync(Order order, CancellationToken cancellationToken);

            [ReadOnly]
            ValueTask<IReadOnlyList<Order>> ListAsync();

            [OneWay]
            Task ClearAsync();
        }

        public sealed class CartState
        {
            public List<Order> Orders { get; set; } = new();
        }

        [Reentrant]
        [DirectoryPlacement]
        public sealed class CartGrain([PersistentState("cart", "store")] IPersistentState<CartState> state, System.TimeProvider time) : Grain, ICartGrain
        {
            public Task<int> AddAsync(Order order, CancellationToken cancellationToken) => Task.FromResult(state.State.Orders.Count + (int)time.GetUtcNow().Year);

            public ValueTask<IReadOnlyList<Order>> ListAsync() => new(state.State.Orders);

            public Task ClearAsync() => Task.CompletedTask;
        }
        """;

    private static readonly ImmutableArray<MetadataReference> References =
    [
        .. ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator).Select(p => MetadataReference.CreateFromFile(p)),
        MetadataReference.CreateFromFile(typeof(IGrain).Assembly.Location),
    ];

    [Fact]
    public void Generator_Output_MatchesTheGoldenFilesAndCompiles()
    {
        var (driver, output) = Run(Compile(Sample));
        var result = driver.GetRunResult();
        Assert.Empty(result.Diagnostics);
        Assert.Empty(output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));

        var golden = Path.Combine(Programs.RepositoryRoot, "Tests", "Efflux.Runtime.Tests", "Golden");
        var generated = result.Results.Single().GeneratedSources;
        Assert.Equal(["Shop.CartGrain.g.cs", "Shop.ICartGrain.g.cs", "Shop.Order.g.cs"], generated.Select(g => g.HintName).Order(StringComparer.Ordinal));
        foreach (var source in generated)
        {
            var file = Path.Combine(golden, source.HintName);
            var text = source.SourceText.ToString().ReplaceLineEndings("\n");
            if (Environment.GetEnvironmentVariable("EFFLUX_UPDATE_GOLDEN") == "1")
            {
                File.WriteAllText(file, text);
            }

            Assert.True(File.Exists(file), $"missing golden file {file}: run once with EFFLUX_UPDATE_GOLDEN=1");
            Assert.Equal(File.ReadAllText(file).ReplaceLineEndings("\n"), text);
        }
    }

    [Fact]
    public void Generator_UnrelatedEdit_ReusesCachedModels()
    {
        var compilation = Compile(Sample);
        var (driver, _) = Run(compilation);
        var edited = compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText("namespace Shop; public static class Unrelated { public static int Two => 2; }", path: "Other.cs"));
        driver = driver.RunGenerators(edited);
        var steps = driver.GetRunResult().Results.Single().TrackedSteps;
        var interfaces = steps[GrainGenerator.InterfaceStep].SelectMany(s => s.Outputs).ToList();
        var contracts = steps[GrainGenerator.ContractStep].SelectMany(s => s.Outputs).ToList();
        var classes = steps[GrainGenerator.ClassStep].SelectMany(s => s.Outputs).ToList();
        Assert.NotEmpty(interfaces);
        Assert.NotEmpty(contracts);
        Assert.NotEmpty(classes);
        Assert.All(interfaces.Concat(contracts).Concat(classes), o => Assert.Contains(o.Reason, new[] { IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged }));
    }

    [Fact]
    public void Generator_ChangedInterface_Regenerates()
    {
        var compilation = Compile(Sample);
        var (driver, _) = Run(compilation);
        var tree = compilation.SyntaxTrees.Single();
        var changed = compilation.ReplaceSyntaxTree(tree, tree.WithChangedText(Microsoft.CodeAnalysis.Text.SourceText.From(Sample.Replace("Task ClearAsync();", "Task ClearAsync(string reason);", StringComparison.Ordinal))));
        driver = driver.RunGenerators(changed);
        var outputs = driver.GetRunResult().Results.Single().TrackedSteps[GrainGenerator.InterfaceStep].SelectMany(s => s.Outputs);
        Assert.Contains(outputs, o => o.Reason == IncrementalStepRunReason.Modified);
        Assert.Contains("string reason", driver.GetRunResult().Results.Single().GeneratedSources.Single(g => g.HintName == "Shop.ICartGrain.g.cs").SourceText.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("public interface IG : IGrainWithStringKey { int Get(); }", "EFX0001", "returns 'int'")]
    [InlineData("public interface IG : IGrainWithStringKey { Task Put(System.Uri where); }", "EFX0002", "'where' of type 'System.Uri'")]
    [InlineData("[GenerateSerializer] public sealed class C { [Id(1)] public int A { get; set; } [Id(1)] public int B { get; set; } }", "EFX0003", "both have [Id(1)]")]
    [InlineData("public interface IG : IGrainWithStringKey { Task A(); Task A(int x); }", "EFX0004", "share the alias 'A'")]
    [InlineData("public interface IG : IGrainWithStringKey { Task<T> Get<T>(); }", "EFX0005", "'Get' is generic")]
    [InlineData("public interface IG : IGrainWithStringKey { Task Get(out int x); }", "EFX0006", "passed by reference")]
    [InlineData("public interface IG : IGrainWithStringKey { [OneWay] Task<int> Fire(); }", "EFX0007", "returns a value")]
    [InlineData("public interface IG : IGrainWithStringKey { int Count { get; } }", "EFX0008", "'Count' is not a method")]
    [InlineData("[GenerateSerializer] public sealed class C { [Id(0)] public int A { get; } }", "EFX0009", "Member 'A' of 'C'")]
    [InlineData("[GenerateSerializer] public sealed class C { public C(string other) { } [Id(0)] public int A { get; set; } }", "EFX0010", "'C' needs a parameterless constructor")]
    [InlineData("public interface IG : IGrainWithStringKey { } public sealed class G([PersistentState(\"s\")] int state) : Grain, IG { }", "EFX0011", "its type is 'int'")]
    [InlineData("public interface IG : IGrainWithStringKey { } public sealed class G : Grain, IG { private G() { } }", "EFX0012", "Grain class 'G' has no public constructor")]
    public void Generator_UnsupportedShapes_ReportClearErrors(string code, string id, string message)
    {
        var (driver, _) = Run(Compile("using System.Threading.Tasks; using Efflux.Runtime; namespace N; " + code));
        var diagnostic = Assert.Single(driver.GetRunResult().Diagnostics);
        Assert.Equal(id, diagnostic.Id);
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        Assert.Contains(message, diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        Assert.Equal("Sample.cs", diagnostic.Location.GetLineSpan().Path);
    }

    private static CSharpCompilation Compile(string source) => CSharpCompilation.Create(
        "Sample",
        [CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Latest), path: "Sample.cs")],
        References,
        new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

    private static (GeneratorDriver Driver, Compilation Output) Run(Compilation compilation)
    {
        GeneratorDriver driver = CSharpGeneratorDriver.Create(
            [new GrainGenerator().AsSourceGenerator()],
            parseOptions: new CSharpParseOptions(LanguageVersion.Latest),
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));
        driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out var output, out _);
        return (driver, output);
    }
}
