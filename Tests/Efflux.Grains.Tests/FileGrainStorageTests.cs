using Efflux.Grains.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Storage;

namespace Efflux.Grains.Tests;

/// <summary>The file grain storage: conditional writes by ETag, atomic replacement, and names that cannot leave the directory.</summary>
public sealed class FileGrainStorageTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "efflux-state-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private FileGrainStorage Storage() => new(_directory, new JsonSerializer(), NullLogger<FileGrainStorage>.Instance);

    private static GrainId Id(string type, string key) => GrainId.Create(type, key);

    private static async Task<GrainState<GroupState>> ReadAsync(FileGrainStorage storage, GrainId id, string name = "s")
    {
        var state = new GrainState<GroupState>();
        await storage.ReadStateAsync(name, id, state);
        return state;
    }

    [Fact]
    public async Task State_SurvivesANewInstance_AndClearRemovesIt()
    {
        var id = Id("efflux.group", "ns/t/g");
        var state = await ReadAsync(Storage(), id);
        Assert.False(state.RecordExists);
        state.State!.Committed[3] = 42;
        await Storage().WriteStateAsync("s", id, state);

        var again = await ReadAsync(Storage(), id);
        Assert.True(again.RecordExists);
        Assert.Equal(state.ETag, again.ETag);
        Assert.Equal(42, again.State!.Committed[3]);

        await Storage().ClearStateAsync("s", id, again);
        var cleared = await ReadAsync(Storage(), id);
        Assert.False(cleared.RecordExists);
        Assert.Empty(cleared.State!.Committed);
    }

    [Fact]
    public async Task StaleWriter_GetsInconsistentState_AndLosesNothingOfTheOther()
    {
        var storage = Storage();
        var id = Id("efflux.group", "a/b/c");
        var first = await ReadAsync(storage, id);
        var second = await ReadAsync(storage, id);
        first.State!.Committed[0] = 1;
        await storage.WriteStateAsync("s", id, first);

        second.State!.Committed[0] = 2;
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("s", id, second));
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.ClearStateAsync("s", id, second));
        Assert.Equal(1, (await ReadAsync(storage, id)).State!.Committed[0]);
    }

    [Fact]
    public async Task RacingWriters_ExactlyOneWinsEachRound()
    {
        var storage = Storage();
        var id = Id("efflux.group", "race/t/g");
        for (var round = 0; round < 20; round++)
        {
            var etag = (await ReadAsync(storage, id)).ETag;
            var outcomes = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(async () =>
            {
                var mine = new GrainState<GroupState>(new GroupState { Committed = { [0] = i } }, etag);
                try
                {
                    await storage.WriteStateAsync("s", id, mine);
                    return true;
                }
                catch (InconsistentStateException)
                {
                    return false;
                }
            })));
            Assert.Single(outcomes, won => won);
        }
    }

    [Theory]
    [InlineData("../../escape")]
    [InlineData("..")]
    [InlineData(".")]
    [InlineData("/etc/passwd")]
    [InlineData("a/b\\c")]
    [InlineData("ключ")]
    public async Task HostileKeys_StayInsideTheDirectory(string key)
    {
        var storage = Storage();
        var id = Id("../type", key);
        Assert.StartsWith(Path.GetFullPath(_directory) + Path.DirectorySeparatorChar, storage.PathOf(id, "../state"), StringComparison.Ordinal);
        var state = await ReadAsync(storage, id, "../state");
        state.State!.Committed[1] = 7;
        await storage.WriteStateAsync("../state", id, state);
        Assert.Equal(7, (await ReadAsync(storage, id, "../state")).State!.Committed[1]);
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.GetDirectoryName(Path.GetFullPath(_directory))!, "escape*"));
    }

    [Fact]
    public async Task ALeftoverTemporaryFile_LeavesTheOldState_AndADamagedFileIsAClearError()
    {
        var storage = Storage();
        var id = Id("t", "k");
        var state = await ReadAsync(storage, id);
        state.State!.Committed[0] = 5;
        await storage.WriteStateAsync("s", id, state);
        var path = storage.PathOf(id, "s");

        // A crash between writing the temporary file and the rename leaves the temporary file: the state is the old one.
        await File.WriteAllTextAsync(path + ".tmp-crashed", "half a write");
        var stored = await ReadAsync(storage, id);
        Assert.Equal(5, stored.State!.Committed[0]);
        Assert.Equal(state.ETag, stored.ETag);

        await File.WriteAllTextAsync(path, "not a state file");
        var error = await Assert.ThrowsAsync<InvalidDataException>(() => ReadAsync(storage, id));
        Assert.Contains("bad header", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Grain state as JSON (the silo uses Orleans' configured serializer; the file format around it is the same).</summary>
    private sealed class JsonSerializer : IGrainStorageSerializer
    {
        public BinaryData Serialize<T>(T? input) => BinaryData.FromObjectAsJson(input);

        public T Deserialize<T>(BinaryData input) => input.ToObjectFromJson<T>()!;
    }
}
