using System.Text.RegularExpressions;
using Efflux.Processing.Parsing;
using Efflux.Processing.Runtime;
using Efflux.Tests.Shared;

namespace Efflux.Processing.Tests;

/// <summary>Every SQL example in docs/EFFLUXQL.md parses, passes the checks and builds a running engine, so the page cannot rot.</summary>
public sealed partial class DocsExamplesTests
{
    [Fact]
    public void DocsEffluxQl_EverySqlExample_IsARunnableQuery()
    {
        var repo = Programs.RepositoryRoot;
        var page = File.ReadAllText(Path.Combine(repo, "docs", "EFFLUXQL.md"));
        var examples = SqlBlock().Matches(page).Select(m => m.Groups[1].Value).ToList();
        Assert.True(examples.Count >= 4, "docs/EFFLUXQL.md lost its examples");
        foreach (var sql in examples)
        {
            var engine = new QueryEngine(Analyzer.ParseAndCheck(sql));
            Assert.NotEmpty(engine.Outputs);
        }
    }

    [GeneratedRegex("```sql\\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex SqlBlock();
}
