namespace Efflux.Runtime.TestGrains;

[GenerateSerializer]
public sealed class AccountState
{
    [Id(0)]
    public long Balance { get; set; }

    [Id(1)]
    public List<string> History { get; set; } = [];
}

[Alias("tests.account")]
public interface IAccountGrain : IGrainWithStringKey
{
    Task<long> DepositAsync(long amount);

    Task<long> BalanceAsync();

    Task<bool> ExistsAsync();

    Task ClearAsync();

    Task LeaveAsync();
}

[Alias("tests.nostore")]
public interface INoStoreGrain : IGrainWithStringKey
{
    Task PingAsync();
}

public sealed class AccountGrain([PersistentState("account", "store")] IPersistentState<AccountState> account) : Grain, IAccountGrain
{
    public async Task<long> DepositAsync(long amount)
    {
        account.State.Balance += amount;
        account.State.History.Add($"+{amount}");
        await account.WriteStateAsync();
        return account.State.Balance;
    }

    public Task<long> BalanceAsync() => Task.FromResult(account.State.Balance);

    public Task<bool> ExistsAsync() => Task.FromResult(account.RecordExists);

    public Task ClearAsync() => account.ClearStateAsync();

    public Task LeaveAsync()
    {
        DeactivateOnIdle();
        return Task.CompletedTask;
    }
}

public sealed class NoStoreGrain([PersistentState("s", "missing")] IPersistentState<AccountState> state) : Grain, INoStoreGrain
{
    public Task PingAsync() => Task.FromResult(state.State.Balance);
}

[Alias("tests.buffered")]
public interface IBufferedGrain : IGrainWithStringKey
{
    Task AddAsync(int amount);

    Task<long> StoredTotalAsync();
}

/// <summary>Keeps changes in memory and writes them only when deactivated: only a graceful shutdown keeps them.</summary>
public sealed class BufferedGrain([PersistentState("total", "store")] IPersistentState<AccountState> total) : Grain, IBufferedGrain
{
    private long _pending;

    public Task AddAsync(int amount)
    {
        _pending += amount;
        return Task.CompletedTask;
    }

    public Task<long> StoredTotalAsync() => Task.FromResult(total.State.Balance);

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        total.State.Balance += _pending;
        _pending = 0;
        await total.WriteStateAsync(cancellationToken);
    }
}
