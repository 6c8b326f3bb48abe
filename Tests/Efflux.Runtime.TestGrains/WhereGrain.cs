namespace Efflux.Runtime.TestGrains;

[Alias("tests.where")]
public interface IWhereGrain : IGrainWithStringKey
{
    /// <summary>The process the activation lives in.</summary>
    Task<int> ProcessIdAsync();
}

public sealed class WhereGrain : Grain, IWhereGrain
{
    public Task<int> ProcessIdAsync() => Task.FromResult(Environment.ProcessId);
}
